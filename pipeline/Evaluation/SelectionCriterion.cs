namespace Pipeline.Evaluation;

/// <summary>One key of the selection rule; each knows which direction is better.</summary>
public enum SelectionCriterion
{
    /// <summary>Mean macro accuracy of k-fold cross-validation on the train part; higher is better.</summary>
    CvMacroAccuracy,

    /// <summary>Higher is better.</summary>
    MacroAccuracy,

    /// <summary>Higher is better.</summary>
    MicroAccuracy,

    /// <summary>Lower is better.</summary>
    LogLoss,

    /// <summary>Single-image predict latency; lower is better.</summary>
    Latency,

    /// <summary>Model bytes; lower is better.</summary>
    Size,
}
