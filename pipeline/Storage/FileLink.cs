using System.Runtime.InteropServices;

namespace Pipeline.Storage;

/// <summary>
/// Puts a file's content under a second name: a hard link where source and destination share a file system (no bytes
/// copied, which matters for a backbone of 100 MB in every model version), a copy otherwise.
/// </summary>
/// <remarks>
/// A hard link is safe here because nothing in the pipeline rewrites a published file in place: backbones and models
/// are replaced by renaming a new file over the name, which leaves every other link to the old content untouched.
/// </remarks>
public static class FileLink
{
    /// <summary>Links or copies <paramref name="source"/> to <paramref name="destination"/>, which must not exist.</summary>
    /// <returns>True when a hard link was made, false when the content was copied.</returns>
    public static bool LinkOrCopy(string source, string destination)
    {
        if (TryHardLink(Path.GetFullPath(source), Path.GetFullPath(destination))) return true;
        File.Copy(source, destination, overwrite: false);
        return false;
    }

    private static bool TryHardLink(string source, string destination)
    {
        try
        {
            // Any failure (another file system, a file system without links, no permission) falls back to a copy.
            return OperatingSystem.IsWindows()
                ? CreateHardLinkW(destination, source, IntPtr.Zero)
                : link(NativePath.Of(source), NativePath.Of(destination)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int link(byte[] oldPath, byte[] newPath);

    [DllImport("kernel32.dll", SetLastError = true, CharSet = CharSet.Unicode)]
    [return: MarshalAs(UnmanagedType.Bool)]
    private static extern bool CreateHardLinkW(string newPath, string existingPath, IntPtr securityAttributes);
}
