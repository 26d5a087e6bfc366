using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Pipeline.Datasets;
using Pipeline.Datasets.Intake;

namespace Pipeline.Service.Drops;

/// <summary>
/// Streams a <c>POST /api/drops</c> body to a staging folder under <c>intake/</c> (never held in memory, never
/// half-visible as a drop): one <c>.zip</c> file, or image files plus a <c>label</c> field, at most
/// <c>Pipeline:MaxUploadBytes</c> in all.
/// </summary>
public static class DropUploadReader
{
    public const string UploadFolderName = "upload";
    private const string Incoming = ".incoming";

    /// <summary>A label is a folder name and a file keeps its name: Linux allows 255 bytes (not characters) per name.</summary>
    private const int MaxNameBytes = 255;

    public static async Task<(DropUpload? Upload, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, IntakeFolders folders,
        long limit, CancellationToken ct)
    {
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
            !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase) ||
            HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 } boundary)
            return (null, Problem(StatusCodes.Status415UnsupportedMediaType, "Unsupported content type",
                $"Send multipart/form-data with one .zip file, or image files and a 'label' field, not '{request.ContentType}'."));
        if (request.ContentLength > limit) return (null, TooLarge(limit));
        // Kestrel's own cap is set per request so that a body without Content-Length is cut at our limit too.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            size.MaxRequestBodySize = limit + 64 * 1024;

        string staging = folders.NewUploadFolder();
        string incoming = Path.Combine(staging, Incoming);
        Directory.CreateDirectory(incoming);
        try
        {
            var (files, label, problem) = await ReceiveFilesAsync(new MultipartReader(boundary, request.Body), incoming, limit, ct);
            var upload = problem is null ? Arrange(staging, incoming, files, label, out problem) : null;
            if (upload is null) Directory.Delete(staging, recursive: true);
            return (upload, problem);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Directory.Delete(staging, recursive: true);
            return (null, TooLarge(limit));
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's own verdicts on the body: 408 when it stalls below the minimum data rate, 400 when it is cut.
            Directory.Delete(staging, recursive: true);
            return (null, Problem(e.StatusCode, e.StatusCode == StatusCodes.Status408RequestTimeout ? "Upload too slow" : "Malformed upload",
                $"The multipart body could not be read: {e.Message}"));
        }
        catch (Exception e) when (e is InvalidDataException or MalformedBodyException)
        {
            Directory.Delete(staging, recursive: true);
            return (null, Problem(StatusCodes.Status400BadRequest, "Malformed upload", $"The multipart body could not be read: {e.Message}"));
        }
        catch
        {
            // A dropped connection or a shutdown: nothing was acknowledged, so nothing of it is kept.
            Directory.Delete(staging, recursive: true);
            throw;
        }
    }

    private static async Task<(List<(string Name, long Bytes)> Files, string? Label, ProblemHttpResult? Problem)> ReceiveFilesAsync(
        MultipartReader reader, string incoming, long limit, CancellationToken ct)
    {
        var files = new List<(string Name, long Bytes)>();
        string? label = null;
        long total = 0;
        while (await ReadBodyAsync(() => reader.ReadNextSectionAsync(ct), ct) is { } section)
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition)) continue;
            if (disposition.IsFileDisposition())
            {
                string name = SafeFileName(disposition.FileNameStar.Value ?? disposition.FileName.Value);
                if (Encoding.UTF8.GetByteCount(name) > MaxNameBytes)
                    return (files, label, Problem(StatusCodes.Status400BadRequest, "File name too long",
                        $"The file name '{name[..40]}…' is {Encoding.UTF8.GetByteCount(name)} bytes in UTF-8, above the " +
                        $"{MaxNameBytes}-byte limit of a file name; rename it."));
                name = UniqueName(incoming, name);
                await using var output = new FileStream(Path.Combine(incoming, name), FileMode.CreateNew, FileAccess.Write,
                    FileShare.None, 1 << 16, useAsync: true);
                var buffer = new byte[1 << 16];
                long bytes = 0;
                int read;
                while ((read = await ReadBodyAsync(() => section.Body.ReadAsync(buffer, ct).AsTask(), ct)) > 0)
                {
                    total += read;
                    if (total > limit) return (files, label, TooLarge(limit));
                    await output.WriteAsync(buffer.AsMemory(0, read), ct);
                    bytes += read;
                }

                files.Add((name, bytes));
            }
            else if (disposition.IsFormDisposition() && HeaderUtilities.RemoveQuotes(disposition.Name).Value == "label")
            {
                // Invalid UTF-8 becomes U+FFFD here, which LabelName refuses: the label is never silently changed.
                using var text = new StreamReader(section.Body);
                var value = new char[LabelName.MaxLength + 1];
                int length = await ReadBodyAsync(() => text.ReadBlockAsync(value, ct).AsTask(), ct);
                // One label, however its name is spelt in Unicode (café as é or as e + accent).
                label = new string(value, 0, length).Trim().Normalize(NormalizationForm.FormC);
            }
        }

        return (files, label, null);
    }

    /// <summary>
    /// Reads from the request body, telling a body that ends early (the multipart reader's "Unexpected end of Stream":
    /// cut before its closing boundary, or not multipart at all) from the disk errors of writing it out.
    /// </summary>
    private static async Task<T> ReadBodyAsync<T>(Func<Task<T>> read, CancellationToken ct)
    {
        try
        {
            return await read();
        }
        catch (IOException e) when (e is not BadHttpRequestException && !ct.IsCancellationRequested)
        {
            throw new MalformedBodyException(e.Message, e);
        }
    }

    /// <summary>The body is not the multipart its Content-Type says; answered 400.</summary>
    private sealed class MalformedBodyException(string message, Exception inner) : Exception(message, inner);

    /// <summary>Puts the received files where a drop's payload has them: <c>&lt;name&gt;.zip</c>, or <c>upload/&lt;label&gt;/…</c>.</summary>
    private static DropUpload? Arrange(string staging, string incoming, List<(string Name, long Bytes)> files, string? label,
        out ProblemHttpResult? problem)
    {
        problem = null;
        if (files.Count == 0 || files.All(f => f.Bytes == 0))
        {
            problem = Problem(StatusCodes.Status400BadRequest, "Empty upload",
                "The upload holds no file content: send one .zip file, or image files and a 'label' field.");
            return null;
        }

        var zips = files.Where(f => f.Name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)).ToList();
        if (zips.Count > 0)
        {
            if (files.Count > 1)
            {
                problem = Problem(StatusCodes.Status400BadRequest, "One archive per upload",
                    "Send exactly one .zip file per upload, without other files beside it.");
                return null;
            }

            File.Move(Path.Combine(incoming, zips[0].Name), Path.Combine(staging, zips[0].Name));
            Directory.Delete(incoming);
            return new DropUpload(staging, zips[0].Name, DropOrigin.Zip);
        }

        if (LabelProblem(label) is { } labelProblem)
        {
            problem = Problem(StatusCodes.Status400BadRequest, "Missing or invalid label", labelProblem);
            return null;
        }

        string target = Path.Combine(staging, UploadFolderName, label!);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        Directory.Move(incoming, target);
        return new DropUpload(staging, UploadFolderName, DropOrigin.Upload);
    }

    private static string? LabelProblem(string? label) => label switch
    {
        null or "" => "Image files need a 'label' form field naming what they show (or send one .zip of <label>/<image> folders).",
        _ when LabelName.Problem(label) is { } problem => $"The label '{LabelName.Printable(label)}' {problem}.",
        _ => null,
    };

    private static string SafeFileName(string? name)
    {
        string file = Path.GetFileName((name ?? "").Replace('\\', '/'));
        file = new string(file.Select(c => char.IsControl(c) ? '_' : c).ToArray()).TrimStart('.');
        return file.Length == 0 ? "file" : file;
    }

    private static string UniqueName(string folder, string name)
    {
        string candidate = name;
        for (int i = 2; File.Exists(Path.Combine(folder, candidate)); i++)
            candidate = $"{Path.GetFileNameWithoutExtension(name)}-{i}{Path.GetExtension(name)}";
        return candidate;
    }

    private static ProblemHttpResult TooLarge(long limit) =>
        Problem(StatusCodes.Status413PayloadTooLarge, "Upload too large",
            $"The upload is larger than the {limit} bytes allowed (Pipeline:MaxUploadBytes); split it into several drops.");

    private static ProblemHttpResult Problem(int status, string title, string detail) =>
        TypedResults.Problem(detail, statusCode: status, title: title);
}
