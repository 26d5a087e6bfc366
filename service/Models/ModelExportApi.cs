using Microsoft.AspNetCore.Http.HttpResults;
using Pipeline.Export;
using Pipeline.Registry;
using Pipeline.Service.Hosting;

namespace Pipeline.Service.Models;

/// <summary><c>GET /api/models/{version}/export?format=onnx|mlnet</c>: a model version as a file to take elsewhere.</summary>
public static class ModelExportApi
{
    public static IEndpointRouteBuilder MapModelExportApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/models/{version:int}/export", ExportAsync).WithTags("Models")
            .WithSummary("Export a model version as one ONNX graph (format=onnx) or an ML.NET model .zip (format=mlnet)");
        return app;
    }

    /// <remarks>
    /// A version never changes, so each export is made once and kept under <c>models/exports/</c> (written by rename,
    /// like every file here); later downloads are served from disk.
    /// </remarks>
    /// <returns>The file, or problem details: 404 unknown version, 400 unknown format, 422 a head that cannot be exported.</returns>
    private static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> ExportAsync(int version, string? format, ModelRegistry registry,
        PipelinePaths paths, PipelineEnvironment pipeline, CancellationToken ct)
    {
        if (registry.Get(version) is not { } model)
            return TypedResults.Problem($"Model version {version} does not exist; GET /api/models lists them.",
                statusCode: StatusCodes.Status404NotFound, title: "Unknown model version");
        if (!ModelExportFormats.TryParse(format, out var chosen))
            return TypedResults.Problem(
                $"Export format '{format}' is not known; use ?format={string.Join(" or ?format=", ModelExportFormats.Names)}.",
                statusCode: StatusCodes.Status400BadRequest, title: "Unknown export format");

        var file = Path.Combine(paths.Models, "exports", version.ToString("D6"), ModelExporter.FileName(model.Manifest, version, chosen));
        if (!File.Exists(file))
        {
            try
            {
                await ModelExporter.ExportAsync(model.Folder, chosen, file, pipeline.Backbones, ct);
            }
            catch (PipelineException e)
            {
                return TypedResults.Problem($"Model version {version}: {e.Message}",
                    statusCode: StatusCodes.Status422UnprocessableEntity, title: "Model cannot be exported");
            }
        }

        return TypedResults.PhysicalFile(file, chosen.ContentType(), Path.GetFileName(file));
    }
}
