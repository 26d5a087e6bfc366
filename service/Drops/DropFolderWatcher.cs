using Microsoft.Extensions.Options;
using Pipeline.Datasets.Intake;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Drops;

/// <summary>
/// Watches <c>drops/</c> and takes each folder or <c>.zip</c> once nothing in it has changed for
/// <c>Pipeline:DropQuietSeconds</c>. A <see cref="FileSystemWatcher"/> wakes it early; a periodic scan
/// (<c>Pipeline:Drops:RescanSeconds</c>) is the safety net, since watchers miss events. Names starting with '.' or
/// ending in <c>.tmp</c>/<c>.part</c>/<c>.partial</c>/<c>.crdownload</c> are left alone: they are still being written.
/// Only the intake (<see cref="IntakeLease"/>) watches; taking a drop is one rename, which only one process can win.
/// </summary>
public sealed class DropFolderWatcher(PipelinePaths paths, DropReceiver receiver, DropQueue queue, IntakeLease lease,
    IOptions<PipelineOptions> pipeline, IOptions<DropsOptions> drops, TimeProvider time, ILogger<DropFolderWatcher> logger)
    : BackgroundService
{
    private static readonly string[] InProgressSuffixes = [".tmp", ".part", ".partial", ".crdownload"];

    private readonly Dictionary<string, (DropFingerprint Fingerprint, DateTimeOffset Since)> _candidates = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _wake = new(0, 1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await lease.Held.WaitAsync(stoppingToken);
        Directory.CreateDirectory(paths.Drops);
        using var watcher = new FileSystemWatcher(paths.Drops)
        {
            IncludeSubdirectories = true,
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.Size | NotifyFilters.LastWrite,
        };
        watcher.Created += (_, _) => Wake();
        watcher.Changed += (_, _) => Wake();
        watcher.Renamed += (_, _) => Wake();
        watcher.Deleted += (_, _) => Wake();
        watcher.Error += (_, e) =>
        {
            logger.LogWarning(e.GetException(), "Watching {Folder} lost events; the periodic scan catches up", paths.Drops);
            Wake();
        };
        try
        {
            watcher.EnableRaisingEvents = true;
        }
        catch (IOException e)
        {
            // inotify instances are a per-user limit; without them the periodic scan still finds every drop.
            logger.LogWarning(e, "Cannot watch {Folder}; relying on a scan every {Seconds} s", paths.Drops, drops.Value.RescanSeconds);
        }

        logger.LogInformation("Watching {Folder} for drops (quiet period {Seconds} s)", paths.Drops, pipeline.Value.DropQuietSeconds);

        var quiet = TimeSpan.FromSeconds(pipeline.Value.DropQuietSeconds);
        var rescan = TimeSpan.FromSeconds(drops.Value.RescanSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            DateTimeOffset? next = null;
            try
            {
                next = await ScanAsync(quiet, stoppingToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                logger.LogError(e, "Scanning {Folder} failed; trying again in {Seconds} s", paths.Drops, rescan.TotalSeconds);
                // drops/ deleted is made again; a data root that is gone is not (it would hide that from /health).
                if (Directory.Exists(paths.DataRoot)) Directory.CreateDirectory(paths.Drops);
            }

            var wait = next is { } due ? Clamp(due - time.GetUtcNow(), rescan) : rescan;
            try
            {
                await _wake.WaitAsync(wait, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private void Wake()
    {
        // A burst of events needs one wake-up, not one each; a lost race only means one extra scan.
        if (_wake.CurrentCount == 0)
        {
            try
            {
                _wake.Release();
            }
            catch (SemaphoreFullException)
            {
            }
        }
    }

    /// <returns>When the earliest candidate will have been quiet long enough, if any is waiting.</returns>
    private async Task<DateTimeOffset?> ScanAsync(TimeSpan quiet, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        DateTimeOffset? next = null;
        // Listed up front: taking a drop renames it out of the folder being listed.
        foreach (var path in Directory.GetFileSystemEntries(paths.Drops).Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(path);
            if (name.StartsWith('.') || InProgressSuffixes.Any(s => name.EndsWith(s, StringComparison.OrdinalIgnoreCase))) continue;
            if (DropFingerprint.Of(path) is not { } fingerprint) continue;
            seen.Add(path);
            if (!_candidates.TryGetValue(path, out var known) || known.Fingerprint != fingerprint)
            {
                _candidates[path] = (fingerprint, now);
                known = _candidates[path];
            }

            if (now - known.Since < quiet)
            {
                var due = known.Since + quiet;
                next = next is null || due < next ? due : next;
                continue;
            }

            await TakeAsync(path, ct);
        }

        foreach (var gone in _candidates.Keys.Where(k => !seen.Contains(k)).ToList()) _candidates.Remove(gone);
        return next;
    }

    private async Task TakeAsync(string path, CancellationToken ct)
    {
        try
        {
            var record = await receiver.ReceiveAsync(path, ct);
            _candidates.Remove(path);
            logger.LogInformation("Drop {DropId} received from {Path}", record.Id, path);
            queue.Enqueue(record.Id);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Still locked or vanished; it is looked at again after another quiet period.
            logger.LogWarning(e, "Drop {Path} could not be taken yet: {Message}", path, e.Message);
            _candidates.Remove(path);
        }
    }

    private static TimeSpan Clamp(TimeSpan wait, TimeSpan max) =>
        wait < TimeSpan.FromMilliseconds(20) ? TimeSpan.FromMilliseconds(20) : wait > max ? max : wait;
}
