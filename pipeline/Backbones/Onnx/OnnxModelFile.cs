using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;
using Pipeline.Storage;

namespace Pipeline.Backbones.Onnx;

/// <summary>Reads ONNX models through the subset proto and writes them complete or not at all.</summary>
internal static class OnnxModelFile
{
    public static ModelProto Read(string path)
    {
        using var stream = File.OpenRead(path);
        return ModelProto.Parser.ParseFrom(stream);
    }

    /// <summary>Writes to a temporary name beside the target, then renames it into place.</summary>
    public static void WriteAtomically(IMessage onnx, string outputOnnxPath)
    {
        var fullPath = Path.GetFullPath(outputOnnxPath);
        Directory.CreateDirectory(Path.GetDirectoryName(fullPath)!);
        var temp = AtomicFile.TempPathFor(fullPath);
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write))
            {
                onnx.WriteTo(stream);
            }

            File.Move(temp, fullPath, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }
}
