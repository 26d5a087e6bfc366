using System.Runtime.InteropServices;
using Pipeline.Storage;

namespace Pipeline.Datasets;

/// <summary>
/// How many hard links a file has. .NET has no API for it, so Linux's <c>statx</c> is called; its layout is the same
/// on every architecture, unlike <c>struct stat</c>. Elsewhere the answer is 1 (unknown is treated as not linked).
/// </summary>
internal static class HardLinks
{
    private const int AtFdCwd = -100;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxNlink = 0x4;
    private const int NlinkOffset = 16;

    public static int Count(string path)
    {
        if (!OperatingSystem.IsLinux()) return 1;
        var buffer = new byte[256];
        try
        {
            return Statx(AtFdCwd, NativePath.Of(path), AtSymlinkNoFollow, StatxNlink, buffer) == 0
                ? (int)BitConverter.ToUInt32(buffer, NlinkOffset)
                : 1;
        }
        catch (EntryPointNotFoundException)
        {
            return 1; // a C library older than glibc 2.28
        }
    }

    [DllImport("libc", EntryPoint = "statx")]
    private static extern int Statx(int dirFd, byte[] path, int flags, uint mask, byte[] buffer);
}
