namespace Pipeline.Backbones;

/// <summary>
/// Default tap layers for the nsfwjs backbones. nsfwjs fine-tuned the upper layers for its own task (MobileNetV2 from
/// block_11_expand on, InceptionV3 from conv2d_56 on), so the final pooled features transfer poorly; concatenating
/// average- and max-pooled features of the last untouched blocks does much better (measurements in docs/BACKBONES.md).
/// </summary>
internal static class NsfwjsTaps
{
    public static readonly IReadOnlyList<string> MobilenetV2 =
        ["block_5_add", "block_9_add", "block_10_project_BN", "block_11_expand_relu"];

    public static readonly IReadOnlyList<string> InceptionV3 =
        ["mixed1", "mixed2", "mixed3", "mixed4", "mixed5", "mixed6"];
}
