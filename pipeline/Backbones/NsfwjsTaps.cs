namespace Pipeline.Backbones;

/// <summary>
/// Default tap layers for the nsfwjs backbones. nsfwjs fine-tuned the upper layers for its own task (MobileNetV2 from
/// block_11_expand on, InceptionV3 from conv2d_56 on), so the final pooled features transfer poorly; concatenating
/// pooled features of several intermediate blocks does much better (measurements in docs/BACKBONES.md).
/// </summary>
internal static class NsfwjsTaps
{
    public static readonly IReadOnlyList<string> MobilenetV2 =
        ["block_5_add", "block_9_add", "block_10_project_BN", "block_12_add", "block_15_add", "out_relu"];

    public static readonly IReadOnlyList<string> InceptionV3 =
        ["mixed2", "mixed4", "mixed5", "mixed7", "mixed10"];
}
