namespace Pipeline.FineTuning.LastStage;

/// <summary>Relu(main + shortcut), main = ConvBN(Relu(ConvBN(input))), shortcut = input or a projection ConvBN.</summary>
internal sealed record ResidualBlock(string Input, ConvBatchNorm First, ConvBatchNorm Second, ConvBatchNorm? Shortcut, string Output);
