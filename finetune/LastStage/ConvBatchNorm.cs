namespace Pipeline.FineTuning.LastStage;

/// <summary>A bias-free convolution followed by batch normalisation, by initializer name.</summary>
internal sealed record ConvBatchNorm(string Input, string Weight, int Stride, ConvPadding Padding,
    string Scale, string Bias, string Mean, string Variance, float Epsilon);
