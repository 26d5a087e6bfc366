using Google.Protobuf;
using Microsoft.ML;
using Pipeline.Backbones;
using Pipeline.Registry;
using Pipeline.Storage;

namespace Pipeline.Export;

/// <summary>Exports a model folder as one ONNX graph or as an ML.NET model, for use outside this service.</summary>
public static class ModelExporter
{
    /// <summary>
    /// Writes the export of <paramref name="modelFolder"/> to <paramref name="outFile"/>, under a temporary name renamed
    /// into place, so a crash or a failed export never leaves a partial file under the name.
    /// </summary>
    /// <param name="backbones">Only needed for model folders without a backbone inside.</param>
    /// <exception cref="PipelineException">The model cannot be exported (not a linear head, corrupt folder).</exception>
    public static async Task ExportAsync(string modelFolder, ModelExportFormat format, string outFile,
        BackboneStore? backbones = null, CancellationToken ct = default)
    {
        var manifest = ModelArtifact.ReadManifest(modelFolder);
        var loaded = await ModelArtifact.LoadBackbonesAsync(modelFolder, manifest, backbones, ct);
        var ml = new MLContext(seed: manifest.Lineage.Seed);
        var head = await ModelArtifact.LoadHeadAsync(modelFolder, ml, ct: ct);
        // Checked for both formats: the ML.NET export could carry any head, but promising what ONNX cannot keep the
        // two exports of one model interchangeable.
        var linear = LinearHead.From(head, manifest.HeadInputLength(), manifest.Labels.Count);
        // The ML.NET export maps one image to one feature vector; it has no place for the views a model averages over,
        // and exporting it without them would give other answers than the service.
        if (format == ModelExportFormat.MlNet && manifest.TestTimeViews.Count > 0)
            throw new PipelineException(
                $"Model {modelFolder} averages its predictions over {manifest.TestTimeViews.Count} views of each image " +
                "(test-time averaging), which the ML.NET export cannot carry; export it as ONNX, which averages inside the graph.");

        outFile = Path.GetFullPath(outFile);
        Directory.CreateDirectory(Path.GetDirectoryName(outFile)!);
        var temp = AtomicFile.TempPathFor(outFile);
        try
        {
            await using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None))
            {
                if (format == ModelExportFormat.Onnx)
                    OnnxClassifierGraph.Classifier(loaded, linear, manifest.Labels, manifest.Architecture, manifest.TestTimeViews)
                        .WriteTo(stream);
                else
                    MlNetModelExport.Write(stream, loaded, head, manifest.Lineage.Seed);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, outFile, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp)) File.Delete(temp);
        }
    }

    /// <summary>A download name such as <c>MobilenetV2-v3.onnx</c>.</summary>
    public static string FileName(ModelManifest manifest, int version, ModelExportFormat format) =>
        $"{manifest.Architecture}-v{version}{format.FileExtension()}";
}
