using System.Text;

namespace Pipeline.Storage;

/// <summary>
/// A path as the C library takes it on Linux: UTF-8 bytes ending in a NUL. Passing bytes, not a string, leaves no
/// choice of string marshalling to get wrong (CA2101) for the few libc calls the pipeline makes.
/// </summary>
internal static class NativePath
{
    public static byte[] Of(string path) => Encoding.UTF8.GetBytes(path + '\0');
}
