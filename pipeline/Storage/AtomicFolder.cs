using System.Runtime.InteropServices;

namespace Pipeline.Storage;

/// <summary>
/// Publishes a complete staging folder (named by <see cref="AtomicFile.TempPathFor"/>) under its final name, replacing
/// a folder already there with no moment where the name is missing.
/// </summary>
/// <remarks>
/// A rename cannot replace a non-empty folder, and renaming the old one away first leaves the name empty until the new
/// one arrives: a reader (the CLI's <c>model/</c>, a candidate's folder) would find nothing. On Linux
/// <c>renameat2(RENAME_EXCHANGE)</c> swaps the two names in one step; the old content then sits under the staging name
/// and is deleted. Where that call is missing (another OS, a file system without it) the two renames are the fallback.
/// </remarks>
public static class AtomicFolder
{
    private const int AtFdCwd = -100;
    private const uint RenameExchange = 2;

    public static void Publish(string staging, string destination)
    {
        if (!Directory.Exists(destination))
        {
            Directory.Move(staging, destination);
            return;
        }

        if (TryExchange(Path.GetFullPath(staging), Path.GetFullPath(destination)))
        {
            Directory.Delete(staging, recursive: true); // the old content, now under the staging name
            return;
        }

        var retired = AtomicFile.TempPathFor(destination);
        Directory.Move(destination, retired);
        Directory.Move(staging, destination);
        Directory.Delete(retired, recursive: true);
    }

    private static bool TryExchange(string first, string second)
    {
        if (!OperatingSystem.IsLinux()) return false;
        try
        {
            return renameat2(AtFdCwd, NativePath.Of(first), AtFdCwd, NativePath.Of(second), RenameExchange) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false; // a C library older than glibc 2.28
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int renameat2(int oldDirFd, byte[] oldPath, int newDirFd, byte[] newPath, uint flags);
}
