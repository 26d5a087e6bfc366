using Pipeline.Evaluation;

namespace Pipeline.Service.Models;

/// <summary>
/// Which figures belong to which head of a model. The test figures (accuracies, log-loss, per-label metrics, confusion
/// matrix) and every promotion comparison come from the gate head, fitted on the train part only. The served head
/// (predict, export) is refitted on every image after the choice, so it has no held-out figures.
/// </summary>
/// <param name="GateTrainImages">Images the gate head was fitted on (the train part).</param>
/// <param name="ServedTrainImages">Images the served head was fitted on: train and test parts, or the train part when it is the gate head.</param>
/// <param name="ServedIsRefit">False for a model with one head (from before refits): it serves its gate head.</param>
/// <param name="TestFiguresFrom">Always "gate": the head the test figures measure.</param>
public sealed record ModelHeads(int GateTrainImages, int ServedTrainImages, bool ServedIsRefit, string TestFiguresFrom)
{
    public static ModelHeads From(CandidateReport metrics) => metrics.ServedHead is { } served
        ? new(metrics.TrainImages, served.TrainImages, true, "gate")
        : new(metrics.TrainImages, metrics.TrainImages, false, "gate");
}
