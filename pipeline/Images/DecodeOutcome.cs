namespace Pipeline.Images;

/// <summary>What one decoding strategy produced: an opaque frame the caller now owns, or a rejected result.</summary>
internal sealed record DecodeOutcome(RgbaFrame? Frame, ImageLoadResult? Rejection)
{
    public static DecodeOutcome Of(RgbaFrame frame) => new(frame, null);

    public static DecodeOutcome Corrupt(string message) => new(null, ImageLoadResult.Rejected(ImageRejectionReason.Corrupt, message));

    public static DecodeOutcome TooLarge(string message) => new(null, ImageLoadResult.Rejected(ImageRejectionReason.DimensionsTooLarge, message));
}
