using Pipeline.Backbones;
using Pipeline.Backbones.Downloads;
using Pipeline.Backbones.Nsfwjs;
using Pipeline.Features;
using Pipeline.Training;

namespace Pipeline;

/// <summary>
/// The pipeline's pieces wired over one data root: <c>backbones/</c> for prepared backbones and <c>features/</c> for
/// the feature cache. Hosts (CLI, service, tests, benchmarks) create one instead of wiring the parts themselves.
/// </summary>
public sealed class PipelineEnvironment
{
    private PipelineEnvironment(string dataRoot, BackboneStore backbones, FeatureCache features, BackboneSessionOptions sessions)
    {
        DataRoot = dataRoot;
        Backbones = backbones;
        Features = features;
        Sessions = sessions;
    }

    public string DataRoot { get; }
    public BackboneStore Backbones { get; }
    public FeatureCache Features { get; }
    public BackboneSessionOptions Sessions { get; }

    /// <param name="dataRoot">Root folder; created if missing.</param>
    /// <param name="http">Used for downloadable backbones; a default client is made when absent.</param>
    /// <param name="nsfwjsTools">The repository's <c>tools/nsfwjs</c> folder; found by searching upwards when absent.</param>
    /// <param name="backbonesRoot">Prepared backbones; <c>backbones/</c> under the data root when absent.</param>
    /// <param name="featuresRoot">The feature cache; <c>features/</c> under the data root when absent.</param>
    /// <param name="trimMargins">What the built-in backbones that trim margins cut (<see cref="BackboneCatalog.CreateDefault"/>).</param>
    public static PipelineEnvironment Create(string dataRoot, HttpClient? http = null, string? nsfwjsTools = null,
        BackboneSessionOptions? sessions = null, string? backbonesRoot = null, string? featuresRoot = null,
        MarginTrimming trimMargins = MarginTrimming.Paper)
    {
        dataRoot = Path.GetFullPath(dataRoot);
        Directory.CreateDirectory(dataRoot);
        backbonesRoot = Path.GetFullPath(backbonesRoot ?? Path.Combine(dataRoot, "backbones"));
        var preparers = new BackbonePreparers(new Lazy<NsfwjsModelExtractor>(() => CreateExtractor(nsfwjsTools)),
            new VerifiedDownloader(http ?? new HttpClient { Timeout = TimeSpan.FromMinutes(30) }));
        return new PipelineEnvironment(dataRoot,
            new BackboneStore(backbonesRoot, BackboneCatalog.CreateDefault(backbonesRoot, trimMargins), preparers),
            new FeatureCache(Path.GetFullPath(featuresRoot ?? Path.Combine(dataRoot, "features"))),
            sessions ?? BackboneSessionOptions.Default);
    }

    private static NsfwjsModelExtractor CreateExtractor(string? toolsFolder)
    {
        try
        {
            return new NsfwjsModelExtractor(NsfwjsToolsFolder.Locate(toolsFolder));
        }
        catch (DirectoryNotFoundException e)
        {
            throw new PipelineException($"Cannot convert the nsfwjs backbones here: {e.Message}", e);
        }
    }

    public CandidateTrainer CreateCandidateTrainer() => new(Backbones, Features, Sessions);

    public Retraining.TrainingRun CreateTrainingRun() => new(this);
}
