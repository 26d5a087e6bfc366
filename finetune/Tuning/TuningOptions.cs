using Pipeline.Features;

namespace Pipeline.FineTuning.Tuning;

/// <summary>How the last stage and its head are trained. The defaults are the ones measured in docs/BACKBONES.md.</summary>
internal sealed record TuningOptions
{
    /// <summary>Passes over the training images with the stage unfrozen (after the head is fitted alone).</summary>
    public int Epochs { get; init; } = 6;

    /// <summary>SGD (momentum 0.9) step for the stage's weights; the head steps ten times further.</summary>
    public double LearningRate { get; init; } = 1e-3;

    public int BatchSize { get; init; } = 32;

    /// <summary>
    /// L2-SP: the pull of every tuned weight back to its pretrained value (α/2 · Σ (w − w₀)²), which keeps a stage
    /// tuned on a few hundred images close to the ImageNet features it started from.
    /// </summary>
    public double PretrainedPull { get; init; } = 0.01;

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Views of each image to train on besides the original (its activations are computed once per view); each
    /// epoch shows every image once, in one of its views drawn at random.
    /// </summary>
    public IReadOnlyList<ImageView> Views { get; init; } = [ImageView.Mirrored, ImageView.Shrunk, ImageView.Enlarged];

    /// <exception cref="ArgumentOutOfRangeException">A value outside its range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(Epochs);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(LearningRate);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize);
        ArgumentOutOfRangeException.ThrowIfNegative(PretrainedPull);
    }
}
