using Pipeline.Backbones;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>
/// Which view combinations a candidate's gate compares: raw pixels skip an automatic comparison, a combined candidate
/// takes its parts' answer where they agree, and explicit settings always stand.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class CandidateViewChoicesTests
{
    private static CrossValidationOptions Options(ViewChoice views, ViewChoice tta) =>
        CrossValidationOptions.Default with { TrainingViews = views, TestTimeAveraging = tta };

    private static CrossValidationReport Part(bool views, bool averaged) => new()
    {
        Folds = 5, L2 = 1, MeanMacroAccuracy = 0.5, SdMacroAccuracy = 0.1, FoldMacroAccuracy = [], Grid = [], Mirrored = false,
        Seconds = 1, Views = views ? ImageViewGeometry.Augmenting : [], TestTimeAveraging = averaged,
    };

    [Fact]
    public void Raw_pixels_do_not_compare_views_automatically_but_keep_an_explicit_setting()
    {
        var auto = CandidateViewChoices.ForSingle(BackboneCatalog.RawPixels, Options(ViewChoice.Auto, ViewChoice.Auto));
        Assert.Equal([(false, false)], ViewGate.Trials(auto));

        var on = CandidateViewChoices.ForSingle(BackboneCatalog.RawPixels, Options(ViewChoice.On, ViewChoice.Auto));
        Assert.Equal(ViewChoice.On, on.TrainingViews);
        Assert.Equal(ViewChoice.Off, on.TestTimeAveraging);
    }

    [Fact]
    public void Style_views_train_network_candidates_and_never_the_raw_pixel_guard()
    {
        var options = CrossValidationOptions.Default with { StyleViews = true };

        Assert.True(CandidateViewChoices.ForSingle(BackboneCatalog.Resnet18, options).StyleViews);
        Assert.True(CandidateViewChoices.ForCombined(options, [Part(false, false), Part(false, false)]).StyleViews);
        Assert.False(CandidateViewChoices.ForSingle(BackboneCatalog.RawPixels, options).StyleViews);
    }

    [Fact]
    public void A_network_candidate_compares_what_the_settings_allow()
    {
        var options = Options(ViewChoice.Auto, ViewChoice.Auto);
        Assert.Equal(ViewGate.Trials(options), ViewGate.Trials(CandidateViewChoices.ForSingle(BackboneCatalog.Resnet18, options)));
    }

    [Fact]
    public void A_combined_candidate_takes_its_parts_answer_where_they_agree_and_compares_where_they_do_not()
    {
        var options = Options(ViewChoice.Auto, ViewChoice.Auto);

        Assert.Equal([(true, false)], ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(true, false), Part(true, false)])));
        Assert.Equal([(false, false)], ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(false, false), Part(false, false)])));
        Assert.Equal([(true, true)], ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(true, true), Part(true, true)])));
        // Views disagreed, averaging agreed (off): views are compared, averaging is not.
        Assert.Equal([(false, false), (true, false)],
            ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(true, false), Part(false, false)])));
        // Views agreed, averaging did not: views are kept, averaging is compared.
        Assert.Equal([(true, false), (true, true)],
            ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(true, true), Part(true, false)])));
    }

    [Fact]
    public void Explicit_settings_stand_for_a_combined_candidate_whatever_its_parts_chose()
    {
        var options = Options(ViewChoice.Off, ViewChoice.Off);
        Assert.Equal([(false, false)], ViewGate.Trials(CandidateViewChoices.ForCombined(options, [Part(true, true), Part(true, true)])));
        var on = Options(ViewChoice.On, ViewChoice.Off);
        Assert.Equal([(true, false)], ViewGate.Trials(CandidateViewChoices.ForCombined(on, [Part(false, false), Part(false, false)])));
    }
}
