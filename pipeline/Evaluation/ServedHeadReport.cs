namespace Pipeline.Evaluation;

/// <summary>
/// The head a model serves when it differs from the head its test figures measure: after the choice, the chosen
/// candidate is refitted on every image of its dataset (train and test parts) with the hyper-parameters its
/// cross-validation chose. The test figures of the <see cref="CandidateReport"/> belong to the gate head (fitted on the
/// train part only); this head saw the test images, so it has no held-out figures of its own.
/// </summary>
/// <param name="TrainImages">Distinct images it was fitted on (mirrored copies not counted): the train and test parts.</param>
/// <param name="L2Regularization">The L2 cross-validation chose on the train part.</param>
/// <param name="Mirrored">Whether a mirrored copy of each image was added, as in cross-validation.</param>
/// <param name="FitSeconds">Featurising the images not already cached and fitting the head.</param>
public sealed record ServedHeadReport(int TrainImages, float L2Regularization, bool Mirrored, double FitSeconds)
{
    /// <summary>The extra views whose rows it was fitted on too, as in cross-validation, then its style views; empty when none.</summary>
    public IReadOnlyList<Features.ImageView> Views { get; init; } = [];

    // Value equality over the views' contents too: a report read back from JSON equals the one written.
    public bool Equals(ServedHeadReport? other) =>
        other is not null && TrainImages == other.TrainImages && L2Regularization.Equals(other.L2Regularization) &&
        Mirrored == other.Mirrored && FitSeconds.Equals(other.FitSeconds) && Views.SequenceEqual(other.Views);

    public override int GetHashCode() => HashCode.Combine(TrainImages, L2Regularization, Mirrored, FitSeconds, Views.Count);
}
