using Pipeline.Progress;
using Pipeline.Datasets.Store;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// Validates a drop: its layout (<see cref="LabelledFolderWalker"/>, links rejected), every file's content
/// (<see cref="LabelledFolderScanner"/>: undecodable, truncated, empty, non-image, oversized, absurd dimensions,
/// duplicates and conflicting labels within the drop), and each image against the dataset it will join (the same content already there under another label is
/// a conflict; under the same label, a duplicate).
/// </summary>
public static class DropValidator
{
    /// <param name="dropRoot">The folder holding the label folders.</param>
    /// <param name="dataset">The version the drop is compared with; null for an empty dataset.</param>
    /// <param name="progress">Told after each well-placed file is checked: files done and total.</param>
    public static async Task<DropValidation> ValidateAsync(string dropRoot, DatasetVersion? dataset,
        ScanOptions scanOptions, IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        // A drop is walked as a training folder is, except that its links are rejected, never followed: whoever
        // uploads a drop need not be trusted with the service's files. Its answers are given relative to the drop.
        var scan = await LabelledFolderScanner.ScanAsync(dropRoot, LinkPolicy.Reject, scanOptions, progress, cancellationToken);
        string fullRoot = Path.GetFullPath(dropRoot);
        // Cut as text when it is under the root: Path.GetRelativePath fails ("the path is empty") past PATH_MAX.
        string Relative(string path) => (path.StartsWith(fullRoot + Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? path[(fullRoot.Length + 1)..]
            : Path.GetRelativePath(fullRoot, path)).Replace(Path.DirectorySeparatorChar, '/');
        string Reword(string reason) => reason.Replace(fullRoot + Path.DirectorySeparatorChar, "", StringComparison.Ordinal);

        var known = dataset?.Images.ToDictionary(i => i.Sha256, i => i.Label, StringComparer.Ordinal) ?? [];
        var accepted = new List<AcceptedImage>();
        var duplicates = new List<RejectedFile>();
        var rejected = new List<RejectedFile>(scan.Rejected.Select(r => new RejectedFile(Relative(r.Path), Reword(r.Reason))));
        foreach (var image in scan.Images)
        {
            string relative = Relative(image.Path);
            if (!known.TryGetValue(image.Sha256, out var label))
                accepted.Add(new AcceptedImage(relative, image));
            else if (label == image.Label)
                duplicates.Add(new RejectedFile(relative, $"already in the dataset under '{label}'"));
            else
                rejected.Add(new RejectedFile(relative, $"conflicting label: this image is already in the dataset under '{label}'"));
        }

        return new DropValidation(accepted, duplicates,
            rejected.OrderBy(r => r.Path, StringComparer.Ordinal).ThenBy(r => r.Reason, StringComparer.Ordinal).ToList());
    }
}
