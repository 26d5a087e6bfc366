namespace Pipeline.Backbones;

/// <summary>
/// Tap sets of the package ResNet18 (tensor names of its CNTK export). The four residual stages end in
/// <c>ReLU283_Output_0</c> (64 channels, 56x56), <c>ReLU315_Output_0</c> (128, 28x28), <c>ReLU347_Output_0</c>
/// (256, 14x14) and <c>ReLU379_Output_0</c> (512, 7x7); <c>Pooling395_Output_0</c> is the final 512-value average
/// pool. Measurements behind both sets: docs/BACKBONES.md.
/// </summary>
internal static class ResNet18Taps
{
    /// <summary>Every stage pooled over the whole map, plus the final pool: what an image shows.</summary>
    public static readonly IReadOnlyList<string> Pooled =
        ["ReLU283_Output_0", "ReLU315_Output_0", "ReLU347_Output_0", "ReLU379_Output_0", "Pooling395_Output_0"];

    /// <summary>
    /// Stage 2 on a 4x4 grid and stage 3 on a 2x2 grid, plus the final pool: also where it shows it (the rank and
    /// suit in a playing card's corners). 6,656 features with average and max pooling.
    /// </summary>
    public static readonly IReadOnlyList<string> Spatial =
        ["ReLU315_Output_0@4x4", "ReLU347_Output_0@2x2", "Pooling395_Output_0"];
}
