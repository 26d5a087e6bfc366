using System.Diagnostics;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>
/// A real mount for a test (the tests run as root): a small tmpfs to fill up, or a read-only bind of a folder onto
/// itself. Disposing unmounts it (lazily, so a file still open by a killed process cannot keep it).
/// </summary>
internal sealed class Mount : IAsyncDisposable
{
    private readonly string _folder;

    private Mount(string folder) => _folder = folder;

    /// <summary>Mounts a tmpfs of <paramref name="megabytes"/> MB on <paramref name="folder"/> (created).</summary>
    public static async Task<Mount> TmpfsAsync(string folder, int megabytes)
    {
        Directory.CreateDirectory(folder);
        await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", folder);
        return new Mount(folder);
    }

    /// <summary>Makes <paramref name="folder"/> read-only in place, for every process, until disposed.</summary>
    public static async Task<Mount> ReadOnlyAsync(string folder)
    {
        await RunAsync("mount", "--bind", folder, folder);
        var mount = new Mount(folder);
        try
        {
            await RunAsync("mount", "-o", "remount,bind,ro", folder);
        }
        catch
        {
            await mount.DisposeAsync();
            throw;
        }

        return mount;
    }

    /// <summary>Writes zeros to <c>filler.bin</c> in <paramref name="folder"/> until fewer than <paramref name="leaveBytes"/> are free.</summary>
    public static void Fill(string folder, long leaveBytes)
    {
        var chunk = new byte[64 * 1024];
        using var filler = new FileStream(Path.Combine(folder, "filler.bin"), FileMode.Create, FileAccess.Write);
        while (new DriveInfo(folder).AvailableFreeSpace > leaveBytes)
        {
            filler.Write(chunk);
            filler.Flush(flushToDisk: true);
        }
    }

    public async ValueTask DisposeAsync() => await RunAsync("umount", "-l", _folder);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        string error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"{program} {string.Join(' ', arguments)}: {error}");
    }
}
