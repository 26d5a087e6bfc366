namespace Pipeline.Retraining;

/// <summary>Where a retrain of one dataset version stands (see <see cref="RetrainRecord"/> for the transitions).</summary>
public enum RetrainState
{
    /// <summary>Candidate jobs are queued or running.</summary>
    Training,

    /// <summary>Every candidate is done; the evaluate-and-promote job is queued or running.</summary>
    Evaluating,

    /// <summary>A decision was made and recorded (promoted or not).</summary>
    Completed,

    /// <summary>The version has fewer than two usable labels; nothing is trained until a later version adds one.</summary>
    WaitingForLabels,

    /// <summary>A newer dataset version arrived first; this retrain's remaining work exits early.</summary>
    Superseded,

    /// <summary>Every candidate failed, or evaluation failed; the reason says why. A later trigger tries again.</summary>
    Failed,
}
