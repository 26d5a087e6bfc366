namespace Pipeline.Evaluation;

/// <summary>Precision, recall and F1 of one label on the test split.</summary>
public sealed record ClassMetrics(string Label, int Support, double Precision, double Recall, double F1);
