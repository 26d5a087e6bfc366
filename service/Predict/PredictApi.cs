using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using System.Diagnostics;
using Microsoft.Net.Http.Headers;
using Pipeline.Features;
using Pipeline.Images;
using Pipeline.Service.Metrics;
using Pipeline.Storage;

namespace Pipeline.Service.Predict;

/// <summary><c>POST /api/predict</c>: an image in (multipart field <c>image</c>, or the raw body), labels out.</summary>
public static class PredictApi
{
    public static IEndpointRouteBuilder MapPredictApi(this IEndpointRouteBuilder app)
    {
        app.MapPost("/api/predict", PredictAsync)
            .WithName("Predict")
            .WithSummary("Classify one image with the serving model")
            // One Accepts call: routing enforces this metadata (415 for other types) and a second call would replace it.
            .Accepts<IFormFile>("multipart/form-data", "image/png", "image/jpeg", "image/webp", "image/gif", "image/bmp",
                "application/octet-stream")
            .DisableAntiforgery();
        return app;
    }

    /// <summary>Answers, and counts the answer by model version and outcome in <see cref="PipelineMetrics"/>.</summary>
    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> PredictAsync(
        HttpRequest request, ServingModel serving, PredictConcurrency concurrency, IOptions<PredictOptions> options,
        PipelineMetrics metrics, ILoggerFactory loggers, int? top, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        try
        {
            var answer = await AnswerAsync(request, serving, concurrency, options, loggers, top, ct);
            var (version, outcome) = answer.Result switch
            {
                Ok<PredictResponse> ok => (ok.Value?.ModelVersion, "ok"),
                ProblemHttpResult { StatusCode: StatusCodes.Status503ServiceUnavailable } => (null, "unavailable"),
                _ => (serving.Version, "rejected"),
            };
            metrics.RecordPredict(version, outcome, clock.Elapsed);
            return answer;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            metrics.RecordPredict(serving.Version, "cancelled", clock.Elapsed);
            throw;
        }
        catch (Exception)
        {
            metrics.RecordPredict(serving.Version, "error", clock.Elapsed);
            throw;
        }
    }

    private static async Task<Results<Ok<PredictResponse>, ProblemHttpResult>> AnswerAsync(
        HttpRequest request, ServingModel serving, PredictConcurrency concurrency, IOptions<PredictOptions> options,
        ILoggerFactory loggers, int? top, CancellationToken ct)
    {
        var limit = options.Value.MaxImageBytes;
        if (request.ContentLength > limit) return TooLarge(limit);

        // The body first, then a permit: a slow client spends its own time, never a decoding slot (PredictConcurrency).
        var (image, problem) = await ReadImageAsync(request, limit, ct);
        if (problem is not null) return problem;
        using var permit = await concurrency.AcquireAsync(ct);
        if (!permit.IsAcquired) return PredictConcurrency.Refusal(request.HttpContext.Response);

        using var lease = serving.Acquire();
        if (lease is null)
            return TypedResults.Problem("No model is serving yet. Drop labelled images or wait for the first training to finish.",
                statusCode: StatusCodes.Status503ServiceUnavailable, title: "No model serving");
        try
        {
            var k = Math.Clamp(top ?? options.Value.DefaultTop, 1, lease.Model.Labels.Count);
            var limits = ImageLimits.Default with { MaxPixels = options.Value.MaxPixels, MaxFileBytes = limit };
            // ct is the request's RequestAborted: a client that goes away stops the decoding, which for a huge image
            // is seconds of CPU that nobody would read.
            var clock = Stopwatch.StartNew();
            try
            {
                var prediction = await Task.Run(() => lease.Model.Predict(image!, k, limits, ct), ct);
                return TypedResults.Ok(new PredictResponse(prediction.Label, prediction.Score, prediction.Top, lease.Version));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                loggers.CreateLogger(typeof(PredictApi)).LogInformation(
                    "Predict stopped after {ElapsedMs} ms: the client went away", clock.ElapsedMilliseconds);
                throw;
            }
        }
        catch (ImageRejectedException e)
        {
            return TypedResults.Problem(e.Message, statusCode: StatusCodes.Status400BadRequest, title: "Not a usable image");
        }
    }

    private static async Task<(byte[]? Image, ProblemHttpResult? Problem)> ReadImageAsync(HttpRequest request, long limit,
        CancellationToken ct)
    {
        // Kestrel's own cap is set per request so that a body without Content-Length is cut at our limit too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 64 * 1024;

        try
        {
            if (request.HasFormContentType)
            {
                if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var form) ||
                    HeaderUtilities.RemoveQuotes(form.Boundary).Length == 0)
                    return (null, Malformed("The multipart/form-data Content-Type has no boundary parameter."));
                var fields = await request.ReadFormAsync(ct);
                var file = fields.Files.GetFile("image");
                if (file is null)
                    return (null, TypedResults.Problem("The multipart form has no file field named 'image'.",
                        statusCode: StatusCodes.Status400BadRequest, title: "Missing image"));
                if (file.Length > limit) return (null, TooLarge(limit));
                using var buffer = new MemoryStream((int)file.Length);
                await file.CopyToAsync(buffer, ct);
                return (buffer.ToArray(), null);
            }

            var type = request.ContentType ?? "";
            if (!type.StartsWith("image/", StringComparison.OrdinalIgnoreCase) &&
                !type.StartsWith("application/octet-stream", StringComparison.OrdinalIgnoreCase))
                return (null, TypedResults.Problem(
                    $"Send the image as multipart/form-data (field 'image') or as a raw image/* body, not '{type}'.",
                    statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Unsupported content type"));

            using var body = new MemoryStream();
            var chunk = new byte[81920];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
            {
                if (body.Length + read > limit) return (null, TooLarge(limit));
                body.Write(chunk, 0, read);
            }

            return body.Length == 0
                ? (null, TypedResults.Problem("The request body is empty.", statusCode: StatusCodes.Status400BadRequest, title: "Missing image"))
                : (body.ToArray(), null);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return (null, TooLarge(limit));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own verdicts on the body: 408 when it stalls below the minimum data rate, 400 when it is cut.
            return (null, TypedResults.Problem($"The request body could not be read: {e.Message}", statusCode: e.StatusCode,
                title: e.StatusCode == StatusCodes.Status408RequestTimeout ? "Request body too slow" : "Malformed request"));
        }
        catch (IOException e) when (StorageFaults.Classify(e) is null && !ct.IsCancellationRequested)
        {
            // The multipart reader's "Unexpected end of Stream": a body cut before its closing boundary, or one that
            // is not multipart at all although its Content-Type says so.
            return (null, Malformed($"The multipart body ended early or is not multipart: {e.Message}"));
        }
        catch (InvalidDataException e)
        {
            // A body that is not the multipart it claims to be. Size overflows are Kestrel's cap above (413), set to
            // our own limit, which is below the form reader's own (128 MiB).
            return (null, Malformed($"The multipart body cannot be read: {e.Message}"));
        }
    }

    private static ProblemHttpResult Malformed(string detail) =>
        TypedResults.Problem(detail + " Send multipart/form-data with a file field 'image', or the image as the raw body.",
            statusCode: StatusCodes.Status400BadRequest, title: "Malformed request");

    private static ProblemHttpResult TooLarge(long limit) =>
        TypedResults.Problem($"The image is larger than the {limit / (1024 * 1024)} MiB limit (Pipeline:Predict:MaxImageBytes).",
            statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request too large");
}
