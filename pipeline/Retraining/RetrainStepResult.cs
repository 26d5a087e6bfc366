namespace Pipeline.Retraining;

/// <summary>How a step of a retrain ended, when it did not throw.</summary>
/// <param name="Worked">True when the step did its work; false when it exited early (nothing to do, another copy runs
/// it, superseded).</param>
/// <param name="Message">A sentence for people: the candidate's scores, the decision's reason, or why it exited.</param>
public sealed record RetrainStepResult(bool Worked, string Message)
{
    public static RetrainStepResult Exited(string why) => new(false, why);
}
