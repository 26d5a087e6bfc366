using Google.Protobuf;
using Pipeline.Backbones;
using Pipeline.Backbones.Onnx;
using Pipeline.Images;

namespace Pipeline.Features;

/// <summary>
/// Backbones cut from the same network (ResNet18 pooled and spatial: the combined candidate of the default set) share
/// everything up to their taps, so one run of one merged model (<see cref="SharedTrunkMerger"/>) gives every one of
/// them its features: half the backbone time of running each, and one decode instead of one per backbone. A fine-tuned
/// copy (its own source) runs on its own.
/// </summary>
public static class SharedTrunk
{
    /// <summary>
    /// A featurizer that runs <paramref name="backbones"/> as one model, or null when they cannot share a run
    /// (<see cref="CanShareRun"/>). The merged model is built when the featurizer first runs.
    /// </summary>
    public static ImageFeaturizer? TryCreate(IReadOnlyList<PreparedBackbone> backbones, BackboneSessionOptions? options = null,
        ImageLimits? limits = null)
    {
        if (!CanShareRun(backbones)) return null;
        var descriptors = backbones.Select(b => b.Descriptor).ToList();
        return new ImageFeaturizer(backbones, options, limits, () =>
        {
            var models = backbones.Select(b => OnnxModelFile.Read(b.OnnxPath!)).ToList();
            var merged = SharedTrunkMerger.TryMerge(models, descriptors.Select(d => d.OutputName).ToList())
                         ?? throw new PipelineException(
                             $"{string.Join(" and ", descriptors.Select(d => d.Name))} come from the same network " +
                             "but share no layer; prepare them again.");
            var outputs = Enumerable.Range(0, backbones.Count).Select(SharedTrunkMerger.OutputName).ToList();
            return new BackboneSession(merged.ToByteArray(), descriptors[0].InputName, outputs, descriptors,
                options ?? BackboneSessionOptions.Default);
        });
    }

    /// <summary>
    /// Whether the backbones can run as one: two or more, none the raw-pixel baseline, every one cut from the same
    /// network (the same <see cref="BackboneDescriptor.Source"/>) and reading the same tensor from an image (size, pixel
    /// scaling, resize, input name), so one decode and one run of the shared layers feed them all.
    /// </summary>
    public static bool CanShareRun(IReadOnlyList<PreparedBackbone> backbones)
    {
        if (backbones.Count < 2 || backbones.Any(b => b.IsRawPixels)) return false;
        var first = backbones[0].Descriptor;
        return backbones.All(b => b.Descriptor.Source == first.Source && b.Descriptor.InputSize == first.InputSize
                                  && b.Descriptor.Scaling == first.Scaling && b.Descriptor.Resize == first.Resize
                                  && b.Descriptor.InputName == first.InputName);
    }
}
