namespace Pipeline.Evaluation;

/// <summary>
/// One held-out image as a model scored it: its true label, the model's top label, and the model's scores (in the
/// model's own label order). <see cref="Predicted"/> and <see cref="Scores"/> are null when the image could not be
/// scored (it does not decode): that counts as a miss, the same for every model.
/// </summary>
public sealed record ScoredImage(string Sha256, string Actual, string? Predicted, float[]? Scores)
{
    public bool Correct => Predicted == Actual;
}
