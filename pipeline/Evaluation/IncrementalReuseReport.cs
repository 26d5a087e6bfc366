namespace Pipeline.Evaluation;

/// <summary>
/// Whether a candidate's retrain kept its previous fit's choice (L2, mirroring) instead of cross-validating again, and
/// why (<see cref="Training.IncrementalReuse"/>). Written to report.json and model.json whenever a previous fit of the
/// same candidate was found; null when there was none.
/// </summary>
/// <param name="Reused">True: no cross-validation ran; <see cref="CandidateReport.CrossValidation"/> holds the previous
/// fit's figures (on <paramref name="CrossValidatedTrainImages"/> images) and its L2.</param>
/// <param name="Reason">The rule that decided, with its numbers.</param>
/// <param name="PreviousModel">The previous fit's model folder.</param>
/// <param name="PreviousTrainImages">Images of the previous fit's train part.</param>
/// <param name="NewTrainImages">Images of this train part that the previous one lacked.</param>
/// <param name="CrossValidatedTrainImages">Train images of the cross-validation behind the L2 used: this train part's
/// when the search ran, an earlier one's when reused.</param>
/// <param name="WarmStarted">The final fit started from the previous gate head's weights (same labels and features, and
/// every image it was fitted on is in this train part, so it never saw a test image).</param>
public sealed record IncrementalReuseReport(bool Reused, string Reason, string PreviousModel, int PreviousTrainImages,
    int NewTrainImages, int CrossValidatedTrainImages, bool WarmStarted);
