namespace Pipeline.FineTuning.Tuning;

/// <summary>What a tuning did: written beside the tuned network as <c>report.json</c>.</summary>
/// <param name="Drift">‖w − w₀‖ over every tuned tensor: how far the stage moved from its pretrained weights.</param>
internal sealed record TuningReport(int Images, int Classes, double HeadAloneLoss, IReadOnlyList<EpochReport> Epochs,
    double Drift, double Seconds);
