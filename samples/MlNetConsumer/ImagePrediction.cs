namespace MlNetConsumer;

/// <summary>The exported model's answer: the label, and one probability per label in the model's label order.</summary>
public sealed class ImagePrediction
{
    public string PredictedLabel { get; set; } = "";
    public float[] Score { get; set; } = [];
}
