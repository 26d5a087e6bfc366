using Pipeline.Backbones;
using Pipeline.Evaluation;

namespace Pipeline.Training;

/// <summary>
/// What a candidate's <see cref="ViewGate"/> compares, from the retrain's settings: where a setting is
/// <see cref="ViewChoice.Auto"/>, some candidates need not pay for the comparison.
/// </summary>
/// <remarks>
/// <para>Every trial is a whole cross-validation on up to four times the rows, so the gate multiplied the retrain's
/// head-fitting time by about 2.5 (docs/BACKBONES.md, "Scaled views"). Two of its comparisons told nothing new:</para>
/// <para>Raw pixels are the no-backbone guard, not a model anyone is served; training views did not move their
/// cross-validation on any measured set, while the comparison cost them more than any network candidate.</para>
/// <para>A combined candidate reads its parts' features side by side: when both parts' gates agreed, it takes their
/// answer; only when they disagreed does it compare for itself.</para>
/// An explicit <see cref="ViewChoice.On"/> or <see cref="ViewChoice.Off"/> is always kept.
/// </remarks>
public static class CandidateViewChoices
{
    /// <summary>The settings a single backbone's candidate is cross-validated with.</summary>
    public static CrossValidationOptions ForSingle(string candidate, CrossValidationOptions options) =>
        candidate == BackboneCatalog.RawPixels
            ? options with
            {
                TrainingViews = options.TrainingViews == ViewChoice.Auto ? ViewChoice.Off : options.TrainingViews,
                TestTimeAveraging = options.TestTimeAveraging == ViewChoice.Auto ? ViewChoice.Off : options.TestTimeAveraging,
                // Style views make a served model robust to new styles; the guard is never served.
                StyleViews = false,
            }
            : options;

    /// <summary>The settings a combined candidate is cross-validated with, given its parts' cross-validations.</summary>
    public static CrossValidationOptions ForCombined(CrossValidationOptions options, IReadOnlyList<CrossValidationReport> parts)
    {
        ArgumentNullException.ThrowIfNull(parts);
        return parts.Count == 0
            ? options
            : options with
            {
                TrainingViews = Agreed(options.TrainingViews, parts.Select(p => p.Views.Count > 0).ToList()),
                TestTimeAveraging = Agreed(options.TestTimeAveraging, parts.Select(p => p.TestTimeAveraging).ToList()),
            };
    }

    private static ViewChoice Agreed(ViewChoice setting, IReadOnlyList<bool> kept) =>
        setting != ViewChoice.Auto ? setting
        : kept.All(k => k) ? ViewChoice.On
        : kept.All(k => !k) ? ViewChoice.Off
        : ViewChoice.Auto;
}
