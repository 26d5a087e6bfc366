using Microsoft.Extensions.Options;
using Pipeline.Datasets.Intake;
using Pipeline.Datasets.Store;
using Pipeline.Samples;
using Pipeline.Service.Hosting;
using Pipeline.Storage;

namespace Pipeline.Service.Drops;

/// <summary>
/// First run: when <c>Pipeline:SampleData</c> is on and the data root has no dataset version and has never seen a
/// drop, writes a small drop built from Debian's openclipart-png to <c>drops/sample-openclipart/</c>, so a newcomer
/// gets a trained model without bringing images. It is written under a hidden name and renamed into place, so the
/// watcher never sees half of it; from there it goes through intake like any other drop.
/// </summary>
public sealed class SampleDropSeeder(PipelinePaths paths, DatasetStore store, DropRecords records, IOptions<PipelineOptions> pipeline,
    IOptions<DropsOptions> drops, ILogger<SampleDropSeeder> logger) : IHostedService
{
    public const string DropName = "sample-openclipart";

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!pipeline.Value.SampleData || !IsFirstRun()) return;
        string target = Path.Combine(paths.Drops, DropName);
        string staging = AtomicFile.TempPathFor(target);
        try
        {
            int count = await Task.Run(() => OpenclipartSample.Build(staging, drops.Value.SamplePerLabel, source: drops.Value.SampleSource),
                cancellationToken);
            Directory.Move(staging, target);
            logger.LogInformation("Seeded the sample drop {Path} with {Count} openclipart images in {Labels} categories",
                target, count, OpenclipartSample.DefaultCategories.Count);
        }
        catch (PipelineException e)
        {
            logger.LogWarning("No sample data: {Reason} Starting with an empty dataset; drop labelled images into {Drops}.",
                e.Message, paths.Drops);
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private bool IsFirstRun() =>
        store.Versions().Count == 0 &&
        records.All().Count == 0 &&
        !(Directory.Exists(paths.Drops) && Directory.EnumerateFileSystemEntries(paths.Drops).Any()) &&
        !(Directory.Exists(paths.Processed) && Directory.EnumerateFileSystemEntries(paths.Processed).Any());
}
