using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
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
    private static async Task<Results<PhysicalFileHttpResult, NotFound<ProblemDetails>, BadRequest<ProblemDetails>,
        UnprocessableEntity<ProblemDetails>>> ExportAsync(int version, string? format, ModelRegistry registry,
        PipelinePaths paths, PipelineEnvironment pipeline, CancellationToken ct)
    {
        if (registry.Get(version) is not { } model)
            return TypedResults.NotFound(new ProblemDetails
            {
                Title = "Unknown model version", Detail = $"Model version {version} does not exist; GET /api/models lists them.", Status = 404,
            });
        if (!ModelExportFormats.TryParse(format, out var chosen))
            return TypedResults.BadRequest(new ProblemDetails
            {
                Title = "Unknown export format",
                Detail = $"Export format '{format}' is not known; use ?format={string.Join(" or ?format=", ModelExportFormats.Names)}.",
                Status = 400,
            });

        var file = Path.Combine(paths.Models, "exports", version.ToString("D6"), ModelExporter.FileName(model.Manifest, version, chosen));
        if (!File.Exists(file))
        {
            try
            {
                await ModelExporter.ExportAsync(model.Folder, chosen, file, pipeline.Backbones, ct);
            }
            catch (PipelineException e)
            {
                return TypedResults.UnprocessableEntity(new ProblemDetails
                {
                    Title = "Model cannot be exported", Detail = $"Model version {version}: {e.Message}", Status = 422,
                });
            }
        }

        return TypedResults.PhysicalFile(file, chosen.ContentType(), Path.GetFileName(file));
    }
}
