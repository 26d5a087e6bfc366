using Pipeline.Datasets.Store;

namespace Pipeline.Datasets.Intake;

/// <summary>
/// The files set aside on the way to a dataset version: every rejected file of the drops up to it. Versions are
/// cumulative, so their quarantine is too: a drop counts for the version it produced and every later one, and a drop
/// that produced none (everything rejected, or nothing new) for the versions from the one that was latest when it
/// finished.
/// </summary>
public static class DatasetQuarantine
{
    /// <param name="version">The dataset version.</param>
    /// <param name="next">The version after it; null when it is the latest.</param>
    /// <param name="drops">Every drop record (<see cref="DropRecords.All"/>).</param>
    /// <returns>Sorted by label (files without one last), then path (ordinal).</returns>
    public static IReadOnlyList<QuarantinedFile> Of(DatasetVersion version, DatasetVersion? next, IEnumerable<DropRecord> drops) =>
        drops.Where(d => d.IsFinished && Counts(d, version, next))
            .SelectMany(d => d.RejectedFiles.Select(f => new QuarantinedFile(f.Path, f.Reason, d)))
            .OrderBy(f => f.Label is null)
            .ThenBy(f => f.Label, StringComparer.Ordinal)
            .ThenBy(f => f.Path, StringComparer.Ordinal)
            .ToList();

    private static bool Counts(DropRecord drop, DatasetVersion version, DatasetVersion? next) =>
        drop.DatasetVersion is { } produced
            ? produced <= version.Version
            : next is null || drop.UpdatedUtc < next.CreatedUtc;
}
