using Pipeline.Images;
using Xunit;

namespace Pipeline.Tests.Images;

/// <summary>Assertions on loader outcomes that read as the specification they check.</summary>
internal static class ImageAssert
{
    public sealed record LoadedImage(RgbImage Image, ImageFormat Format, int OriginalWidth, int OriginalHeight);

    public sealed record RejectedImage(ImageRejectionReason Reason, string Message);

    public static LoadedImage Loaded(ImageLoadResult result)
    {
        if (!result.IsLoaded)
        {
            throw new Xunit.Sdk.XunitException($"Expected the image to load, but it was rejected: {result}.");
        }

        Assert.Null(result.Rejection);
        Assert.Null(result.Message);
        return new LoadedImage(result.Image, result.Format!.Value, result.OriginalWidth, result.OriginalHeight);
    }

    public static RejectedImage Rejected(ImageLoadResult result, ImageRejectionReason reason)
    {
        if (result.IsLoaded)
        {
            throw new Xunit.Sdk.XunitException($"Expected a {reason} rejection, but the image loaded: {result}.");
        }

        Assert.Equal(reason, result.Rejection);
        Assert.Null(result.Image);
        Assert.False(string.IsNullOrWhiteSpace(result.Message));
        return new RejectedImage(reason, result.Message);
    }

    public static void Near(RgbColor expected, RgbColor actual, int tolerance)
    {
        bool near = Math.Abs(expected.R - actual.R) <= tolerance && Math.Abs(expected.G - actual.G) <= tolerance
            && Math.Abs(expected.B - actual.B) <= tolerance;
        Assert.True(near, $"Expected {expected} within {tolerance}, got {actual}.");
    }

    /// <summary>Every pixel of the image is within <paramref name="tolerance"/> of <paramref name="expected"/>.</summary>
    public static void AllNear(RgbColor expected, RgbImage image, int tolerance)
    {
        for (int y = 0; y < image.Height; y++)
        {
            for (int x = 0; x < image.Width; x++)
            {
                var actual = image[x, y];
                if (Math.Abs(expected.R - actual.R) > tolerance || Math.Abs(expected.G - actual.G) > tolerance
                    || Math.Abs(expected.B - actual.B) > tolerance)
                {
                    Assert.Fail($"Pixel ({x},{y}) is {actual}; expected {expected} within {tolerance}.");
                }
            }
        }
    }
}
