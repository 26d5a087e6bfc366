namespace MlNetConsumer;

/// <summary>The exported model's input column: the path of an image file.</summary>
public sealed class ImageInput
{
    public string ImagePath { get; set; } = "";
}
