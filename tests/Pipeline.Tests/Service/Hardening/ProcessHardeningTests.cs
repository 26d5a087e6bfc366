using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Pipeline.Datasets.Intake;
using Pipeline.Storage;
using Pipeline.Tests.Drops;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>What only a real process shows: how it starts on a taken port, and what it finds left by the last run.</summary>
[Trait("Kind", "Integration")]
public class ProcessHardeningTests
{
    [Fact]
    public async Task Port_already_in_use_ends_the_service_with_one_clear_line_and_a_non_zero_exit_code()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = RepositoryPaths.Root,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Pipeline.Service.dll"));
        start.ArgumentList.Add($"--urls=http://127.0.0.1:{port}");
        start.ArgumentList.Add($"--Pipeline:DataRoot={Path.Combine(RepositoryPaths.NewTempFolder("hardening-port"), "data")}");
        start.ArgumentList.Add("--Pipeline:SampleData=false");
        start.ArgumentList.Add("--Pipeline:RetrainCron=");
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var deadline = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(deadline.Token);
        string output = await stdout + await stderr;

        Assert.NotEqual(0, process.ExitCode);
        Assert.Single((await stderr).Split('\n'), line => line.StartsWith("Cannot start:", StringComparison.Ordinal) &&
                                                          line.Contains($"127.0.0.1:{port}") && line.Contains("already in use"));
        Assert.DoesNotContain("Unhandled exception", output);
    }

    [Fact]
    public async Task Temporary_files_left_by_a_kill_or_a_full_disk_are_removed_at_the_next_start_and_nothing_else_is()
    {
        string data = Path.Combine(RepositoryPaths.NewTempFolder("hardening-temp-sweep"), "data");
        // What a kill while storing an image, and a full disk while writing a drop's record, leave behind: today's
        // temporary names, and the older scheme an upgraded data root may still hold.
        string image = AtomicFile.TempPathFor(Path.Combine(data, "datasets", "images", "ab", "ab12.png"));
        string record = AtomicFile.TempPathFor(Path.Combine(data, "intake", $"{DropId.New(DateTimeOffset.UtcNow)}.json"));
        string legacy = Path.Combine(data, "datasets", "images", "ab", $"ab34.png.tmp-{Guid.NewGuid():N}");
        // Names that only look alike are someone's files, and stay.
        string kept = Path.Combine(data, "datasets", "images", "ab", "notes.tmp-draft");
        foreach (var file in new[] { image, record, legacy, kept })
        {
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            File.WriteAllBytes(file, DropImages.Png(1)[..100]);
        }

        await using var service = await DropsService.RestartAsync(data);
        // Intake is reconciled before the service listens, so the sweep is done by now.
        service.Drop("after", new Dictionary<string, byte[]> { ["cat/1.png"] = DropImages.Png(1) });
        await service.FinishedAsync("after");

        Assert.False(File.Exists(image), "the image copy's temporary file is still there");
        Assert.False(File.Exists(record), "the record's temporary file is still there");
        Assert.False(File.Exists(legacy), "the older scheme's temporary file is still there");
        Assert.True(File.Exists(kept));
    }
}
