namespace Pipeline.FineTuning.Tuning;

/// <summary>One pass over the training images: mean cross-entropy, accuracy on the views trained on, seconds since start.</summary>
internal sealed record EpochReport(int Epoch, double Loss, double TrainAccuracy, double Seconds);
