using Pipeline.FineTuning.Tuning;

namespace Pipeline.FineTuning;

/// <summary>What <c>pipeline-finetune</c> was asked: the data, where the backbone goes, and how to tune.</summary>
internal sealed record FineTuneRequest(string DataFolder, string OutputFolder, string Name, double TestFraction, TuningOptions Tuning);
