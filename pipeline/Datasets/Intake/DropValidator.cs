using Pipeline.Progress;
using Pipeline.Datasets.Store;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Validates a drop: its layout (<see cref="DropLayout"/>), every file's content (<see cref="LabelledFolderScanner"/>:
/// undecodable, truncated, empty, non-image, oversized, absurd dimensions, duplicates and conflicting labels within
/// the drop), and each image against the dataset it will join (the same content already there under another label is
/// a conflict; under the same label, a duplicate).
/// </summary>
public static class DropValidator
{
    /// <param name="dropRoot">The folder holding the label folders.</param>
    /// <param name="workFolder">Scratch space of this drop (a view of the well-placed files is made there).</param>
    /// <param name="dataset">The version the drop is compared with; null for an empty dataset.</param>
    /// <param name="progress">Told after each well-placed file is checked: files done and total.</param>
    public static async Task<DropValidation> ValidateAsync(string dropRoot, string workFolder, DatasetVersion? dataset,
        ScanOptions scanOptions, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var layout = DropLayout.Inspect(dropRoot, cancellationToken);

        // The scanner follows links and counts nested files for their label, which a drop must not; so it scans a
        // view holding only the well-placed files, as links to them.
        string view = Path.Combine(workFolder, "scan");
        if (Directory.Exists(view)) Directory.Delete(view, recursive: true);
        Directory.CreateDirectory(view);
        foreach (var file in layout.Files)
        {
            string link = Path.Combine(view, file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            File.CreateSymbolicLink(link, file.FullPath);
        }

        var scan = await LabelledFolderScanner.ScanAsync(view, scanOptions, progress, cancellationToken);
        string Relative(string path) => Path.GetRelativePath(view, path).Replace(Path.DirectorySeparatorChar, '/');
        string Reword(string reason) => reason.Replace(view + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);
        var byRelative = layout.Files.ToDictionary(f => f.RelativePath, f => f.FullPath, StringComparer.Ordinal);

        var known = dataset?.Images.ToDictionary(i => i.Sha256, i => i.Label, StringComparer.Ordinal) ?? [];
        var accepted = new List<AcceptedImage>();
        var duplicates = new List<RejectedFile>();
        var rejected = new List<RejectedFile>(layout.Rejected);
        rejected.AddRange(scan.Rejected.Select(r => new RejectedFile(Relative(r.Path), Reword(r.Reason))));
        foreach (var image in scan.Images)
        {
            string relative = Relative(image.Path);
            if (!known.TryGetValue(image.Sha256, out var label))
                accepted.Add(new AcceptedImage(relative, image with { Path = byRelative[relative] }));
            else if (label == image.Label)
                duplicates.Add(new RejectedFile(relative, $"already in the dataset under '{label}'"));
            else
                rejected.Add(new RejectedFile(relative, $"conflicting label: this image is already in the dataset under '{label}'"));
        }

        return new DropValidation(accepted, duplicates,
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList());
    }
}
