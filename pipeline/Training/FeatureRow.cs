namespace Pipeline.Training;

/// <summary>One training or scoring row of the head: a feature vector and, when known, its label.</summary>
public sealed class FeatureRow
{
    public string Label { get; set; } = "";
    public float[] Features { get; set; } = [];

    /// <summary>The row's weight in the head's loss: 1, unless the labels are unequal in size (<see cref="LabelBalance"/>).</summary>
    public float Weight { get; set; } = 1;
}

/// <summary>What the head returns: one probability per label, in the model's label order.</summary>
public sealed class HeadScores
{
    public float[] Score { get; set; } = [];
}

internal sealed class LabelRow
{
    public string Label { get; set; } = "";
}
