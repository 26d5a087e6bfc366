using System.Text.Json;
using static Pipeline.Bench.BenchFormat;

namespace Pipeline.Bench;

/// <summary>
/// Section 5: peak resident memory of one training run (scan, featurise from an empty cache, fit, evaluate) on many
/// images, measured in a child process of its own (<c>memory-probe</c>, VmHWM) so the bench's own memory is
/// not counted.
/// </summary>
public static class MemoryBench
{
    private const double TargetGiB = 2.0;

    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var dataset = AugmentedDataset.Build(settings.WorkFolder, settings.MemoryImages, ct: ct);
        var rows = new List<IReadOnlyList<string>>();
        var findings = new List<string>();
        // MobilenetV2 only: InceptionV3 would take four times as long for the same question (does anything grow
        // with the number of images?); its longer vectors are the one difference and are counted in the text.
        var architecture = settings.Architectures[0];
        var work = Path.Combine(settings.WorkFolder, $"memory-{architecture}");
        if (Directory.Exists(work)) Directory.Delete(work, recursive: true);
        var probe = await ProbeAsync(environment, dataset, architecture, work, ct);
        var gib = probe.PeakResidentKiB / (1024.0 * 1024.0);
        log.WriteLine($"memory {architecture}: {probe.Images} images, peak RSS {gib:0.00} GiB in {probe.Seconds:0} s");
        rows.Add([architecture, probe.Images.ToString(), F(probe.Seconds, "0"), F(probe.MacroAccuracy, "0.000"),
            $"{F(gib, "0.00")} GiB (target < {F(TargetGiB, "0")} GiB: {(gib < TargetGiB ? "met" : "not met")})"]);
        return new BenchSection("Memory",
            $"One `TrainingRun` on {probe.Images} images (augmented real openclipart, as in section 3) from an empty feature " +
            "cache, in a child process (`memory-probe`); peak RSS is the child's VmHWM from /proc/self/status at the end. " +
            "Decoded images flow through a bounded channel (2 batches deep), so only the feature vectors (4 bytes x vector " +
            "length per image) and the head's training copy grow with the dataset. The accuracy is not a quality figure: " +
            "crops of one source image fall on both sides of the split.",
            [BenchTable.Of(["backbone", "images", "seconds", "macro accuracy", "peak RSS"], rows)],
            findings);
    }

    private static async Task<MemoryProbeResult> ProbeAsync(PipelineEnvironment environment, string dataset, string architecture,
        string work, CancellationToken ct)
    {
        var start = ChildExecutable.Bench(["memory-probe", "--images", dataset, "--architecture", architecture,
            "--work", work, "--data-root", environment.DataRoot]);
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        var lastLine = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries).LastOrDefault();
        if (process.ExitCode != 0 || lastLine is null)
            throw new PipelineException($"The memory probe failed (exit {process.ExitCode}): {await stderr}");
        return JsonSerializer.Deserialize<MemoryProbeResult>(lastLine)
               ?? throw new PipelineException($"The memory probe printed '{lastLine}', not a result.");
    }
}
