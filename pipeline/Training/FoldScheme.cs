namespace Pipeline.Training;

/// <summary>
/// How the cross-validation folds were made, for the reports: by group (no group on both sides of a fold) or
/// stratified by label, and why.
/// </summary>
/// <param name="Kind"><see cref="Grouped"/> or <see cref="Stratified"/>.</param>
/// <param name="Groups">Distinct groups among the train part's images (0 when none is known).</param>
/// <param name="Reason">Why this kind: where the groups came from, or why they could not be used.</param>
public sealed record FoldScheme(string Kind, int Groups, string Reason)
{
    public const string Grouped = "grouped";
    public const string Stratified = "stratified";
}
