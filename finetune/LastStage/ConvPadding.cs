namespace Pipeline.FineTuning.LastStage;

/// <summary>ONNX pads order: begin of height and width, then end of height and width.</summary>
internal sealed record ConvPadding(int Top, int Left, int Bottom, int Right);
