using Pipeline.Progress;

namespace Pipeline.Retraining;

/// <summary>
/// The evaluate step's progress, told as its stages: the combined candidate, then the chosen candidate's refit on every
/// image (the head it serves), then scoring the challenger and the champion on the test images, then the paired
/// comparison and the decision. Each update from the work inside a stage
/// (featurising, scoring) passes through with the stage named before its detail, so a person watching the job sees
/// which of the four it is in, and how far.
/// </summary>
public sealed class EvaluationStages(IProgress<ProgressUpdate>? inner) : IProgress<ProgressUpdate>
{
    public const string Combined = "combined candidate";
    public const string Refit = "refit on every image";
    public const string Scoring = "scoring";
    public const string Comparison = "comparison";

    private static readonly string[] Order = [Combined, Refit, Scoring, Comparison];
    private int _current;

    /// <summary>The stage now running.</summary>
    public string Current => Order[_current];

    /// <summary>Moves on to <paramref name="stage"/> (one of the constants) and reports it.</summary>
    public void Enter(string stage, string detail = "")
    {
        var index = Array.IndexOf(Order, stage);
        if (index < 0) throw new ArgumentException($"'{stage}' is not an evaluation stage.", nameof(stage));
        _current = index;
        inner?.Report(new ProgressUpdate("evaluate", Describe(detail), 0, 0));
    }

    public void Report(ProgressUpdate value)
    {
        // The promoter reports "promote" once it has both sets of scores: what follows is the comparison and decision.
        if (value.Stage == "promote" && _current < Order.Length - 1) _current = Order.Length - 1;
        inner?.Report(value with { Detail = Describe(value.Detail) });
    }

    private string Describe(string detail) =>
        $"{Current} ({_current + 1}/{Order.Length})" + (detail.Length > 0 ? $": {detail}" : "");
}
