using Pipeline.Datasets;
using Pipeline.Samples;

namespace Pipeline.Bench;

/// <summary>Real openclipart PNGs, exactly as users drop them, scanned into labelled images.</summary>
public static class BenchImages
{
    public static async Task<IReadOnlyList<LabelledImage>> RealAsync(string workFolder, int perLabel, CancellationToken ct)
    {
        var folder = Path.Combine(workFolder, $"openclipart-{perLabel}");
        OpenclipartSample.Build(folder, perLabel);
        return (await LabelledFolderScanner.ScanAsync(folder, new ScanOptions(), cancellationToken: ct)).Images;
    }

    public static async Task<IReadOnlyList<LabelledImage>> ScanAsync(string folder, CancellationToken ct) =>
        (await LabelledFolderScanner.ScanAsync(folder, new ScanOptions(), cancellationToken: ct)).Images;
}
