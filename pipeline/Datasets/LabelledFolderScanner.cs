using System.Text;
using Pipeline.Images;
using Pipeline.Progress;

namespace Pipeline.Datasets;

/// <summary>
/// Reads a labelled folder, <c>&lt;root&gt;/&lt;label&gt;/&lt;image&gt;</c>, into the images that can be trained on and the
/// files that cannot, each with a reason. Which files are read is decided by <see cref="LabelledFolderWalker"/>, the one
/// walk of training folders and drops: files directly in the root or nested deeper are rejected, names starting with
/// '.' are skipped silently at every depth.
/// </summary>
/// <remarks>
/// Every file is read, hashed and fully decoded (at a small size) so that a bad file is found here, once, rather
/// than midway through featurising. Files are processed in parallel, a bounded number at a time, and the output
/// does not depend on the order they finish in.
/// </remarks>
public static class LabelledFolderScanner
{
    /// <summary>The <see cref="ProgressUpdate.Stage"/> this scanner reports.</summary>
    public const string ProgressStage = "scan";

    /// <summary>Scans <paramref name="root"/>, a training folder: symbolic links in it are followed (<see cref="LinkPolicy.Follow"/>).</summary>
    /// <param name="progress">Told after each file: done and total files, detail the file's path under the root.</param>
    /// <exception cref="DirectoryNotFoundException"><paramref name="root"/> does not exist; the message names it.</exception>
    /// <exception cref="OperationCanceledException">Cancelled.</exception>
    public static Task<ScanResult> ScanAsync(string root, ScanOptions options, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default) =>
        ScanAsync(root, LinkPolicy.Follow, options, progress, cancellationToken);

    /// <summary>
    /// Scans a folder a user named (for training or evaluation), with the defaults, and insists on at least one
    /// usable image: a missing folder or one with nothing readable is the user's error, said in one sentence.
    /// </summary>
    /// <exception cref="PipelineException">No such folder, or no readable image in it.</exception>
    public static async Task<ScanResult> ScanUsableAsync(string folder, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default)
    {
        if (!Directory.Exists(folder))
            throw new PipelineException($"Data folder {folder} does not exist.");
        var scan = await ScanAsync(folder, new ScanOptions(), progress, cancellationToken).ConfigureAwait(false);
        return scan.Images.Count > 0
            ? scan
            : throw new PipelineException(
                $"No readable images in {folder} (expected <label>/<image> files; {scan.Rejected.Count} rejected).");
    }

    /// <summary>Scans <paramref name="root"/> with links treated as <paramref name="links"/> says (a drop rejects them).</summary>
    internal static async Task<ScanResult> ScanAsync(string root, LinkPolicy links, ScanOptions options,
        IProgress<ProgressUpdate>? progress, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();

        string fullRoot = Path.GetFullPath(root);
        if (!Directory.Exists(fullRoot))
        {
            throw new DirectoryNotFoundException($"Data folder {fullRoot} does not exist.");
        }

        var walk = LabelledFolderWalker.Walk(fullRoot, links, cancellationToken);
        var files = walk.Files;
        progress?.Report(new ProgressUpdate(ProgressStage, "listing files", 0, files.Count));

        var outcomes = new FileOutcome[files.Count];
        var loadOptions = new ImageLoadOptions
        {
            TargetWidth = options.ValidationSide,
            TargetHeight = options.ValidationSide,
            Limits = options.Limits,
        };
        int done = 0;
        var parallel = new ParallelOptions
        {
            MaxDegreeOfParallelism = options.MaxDegreeOfParallelism,
            CancellationToken = cancellationToken,
        };
        await Parallel.ForEachAsync(Enumerable.Range(0, files.Count), parallel, async (i, ct) =>
        {
            outcomes[i] = await InspectAsync(files[i], loadOptions, ct).ConfigureAwait(false);
            int finished = Interlocked.Increment(ref done);
            progress?.Report(new ProgressUpdate(ProgressStage, Path.GetRelativePath(fullRoot, files[i].Path), finished, files.Count));
        }).ConfigureAwait(false);

        var rejected = new List<RejectedFile>(walk.Rejected);
        rejected.AddRange(outcomes.Where(o => o.Rejected is not null).Select(o => o.Rejected!));
        var images = RemoveDuplicates(outcomes.Where(o => o.Image is not null).Select(o => o.Image!), rejected);

        return new ScanResult(
            images,
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList(),
            images.Select(i => i.Label).Distinct().Order(StringComparer.Ordinal).ToList());
    }

    private static async Task<FileOutcome> InspectAsync(LabelledFile file, ImageLoadOptions loadOptions, CancellationToken ct)
    {
        byte[] bytes;
        try
        {
            // Refuse a huge file before reading it into memory; the loader would refuse it after.
            long length = new FileInfo(file.Path).Length;
            if (length > loadOptions.Limits.MaxFileBytes)
            {
                return new FileOutcome(null, new RejectedFile(file.Path, ImageLoader.FileTooLargeMessage(length, loadOptions.Limits)));
            }

            bytes = await File.ReadAllBytesAsync(file.Path, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new FileOutcome(null, new RejectedFile(file.Path, $"cannot be read: {e.Message}"));
        }

        string sha256 = ContentHash.Sha256Hex(bytes);
        var result = ImageLoader.Load(bytes, loadOptions, ct);
        if (!result.IsLoaded)
        {
            return new FileOutcome(null, new RejectedFile(file.Path, result.Message));
        }

        string format = result.Format!.Value.ToString().ToLowerInvariant();
        // Labels are folder names, and one name can be spelt in two Unicode forms (café as é or as e + accent, as
        // macOS writes it): both must be one label.
        string label = file.Label.Normalize(NormalizationForm.FormC);
        return new FileOutcome(new LabelledImage(file.Path, label, sha256, result.OriginalWidth, result.OriginalHeight, format), null);
    }

    /// <summary>
    /// Keeps one image per content. Copies under one label collapse to the first by path; copies under different
    /// labels are all rejected, because no copy can be trusted to carry the right label.
    /// </summary>
    private static List<LabelledImage> RemoveDuplicates(IEnumerable<LabelledImage> images, List<RejectedFile> rejected)
    {
        var kept = new List<LabelledImage>();
        foreach (var copies in images.OrderBy(i => i.Path, StringComparer.Ordinal).GroupBy(i => i.Sha256))
        {
            var labels = copies.Select(c => c.Label).Distinct().Order(StringComparer.Ordinal).ToList();
            if (labels.Count > 1)
            {
                string reason = $"conflicting labels: {string.Join(", ", labels)}";
                rejected.AddRange(copies.Select(c => new RejectedFile(c.Path, reason)));
                continue;
            }

            var first = copies.First();
            kept.Add(first);
            rejected.AddRange(copies.Skip(1).Select(c => new RejectedFile(c.Path, $"duplicate of {first.Path}")));
        }

        return kept.OrderBy(i => i.Path, StringComparer.Ordinal).ToList();
    }

    private sealed record FileOutcome(LabelledImage? Image, RejectedFile? Rejected);
}
