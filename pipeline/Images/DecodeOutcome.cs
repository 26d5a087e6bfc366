namespace Pipeline.Images;

/// <summary>What one decoding strategy produced: an opaque frame the caller now owns, or a rejection.</summary>
internal sealed record DecodeOutcome(RgbaFrame? Frame, ImageLoadResult.Rejected? Rejection)
{
    public static DecodeOutcome Of(RgbaFrame frame) => new(frame, null);

    public static DecodeOutcome Corrupt(string message) => new(null, new(ImageRejectionReason.Corrupt, message));

    public static DecodeOutcome TooLarge(string message) => new(null, new(ImageRejectionReason.DimensionsTooLarge, message));
}
