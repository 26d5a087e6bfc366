using Pipeline.Images;
using Xunit;

namespace Pipeline.Tests.Images;

[Trait("Kind", "Unit")]
public class PixelTensorWriterTests
{
    // 2x1 image: (0, 128, 255) then (10, 20, 30).
    private static readonly RgbImage TwoPixels = new(2, 1, [0, 128, 255, 10, 20, 30]);

    [Theory]
    [InlineData(PixelScaling.Raw, new[] { 0f, 10f, 128f, 20f, 255f, 30f })]
    [InlineData(PixelScaling.ZeroToOne, new[] { 0f, 10 / 255f, 128 / 255f, 20 / 255f, 1f, 30 / 255f })]
    [InlineData(PixelScaling.MinusOneToOne, new[] { -1f, 10 / 127.5f - 1, 128 / 127.5f - 1, 20 / 127.5f - 1, 1f, 30 / 127.5f - 1 })]
    public void Writes_planar_channels_with_the_scaling_applied(PixelScaling scaling, float[] expected)
    {
        var tensor = new float[6];

        PixelTensorWriter.WriteChw(TwoPixels, scaling, tensor);

        Assert.Equal(expected, tensor, (a, b) => Math.Abs(a - b) < 1e-6f);
    }

    [Fact]
    public void ImageNet_scaling_uses_the_per_channel_mean_and_std()
    {
        var tensor = PixelTensorWriter.ToChw(TwoPixels, PixelScaling.ImageNetMeanStd);

        float[] expected =
        [
            (0 / 255f - 0.485f) / 0.229f, (10 / 255f - 0.485f) / 0.229f,
            (128 / 255f - 0.456f) / 0.224f, (20 / 255f - 0.456f) / 0.224f,
            (255 / 255f - 0.406f) / 0.225f, (30 / 255f - 0.406f) / 0.225f,
        ];
        Assert.Equal(expected, tensor, (a, b) => Math.Abs(a - b) < 1e-5f);
    }

    [Fact]
    public void Every_pixel_of_a_larger_image_lands_in_its_plane()
    {
        var pixels = new byte[7 * 5 * 3];
        new Random(3).NextBytes(pixels);
        var image = new RgbImage(7, 5, pixels);

        var tensor = PixelTensorWriter.ToChw(image, PixelScaling.Raw);

        for (int y = 0; y < 5; y++)
        {
            for (int x = 0; x < 7; x++)
            {
                for (int c = 0; c < 3; c++)
                {
                    Assert.Equal(pixels[(y * 7 + x) * 3 + c], tensor[c * 35 + y * 7 + x]);
                }
            }
        }
    }

    [Theory]
    [InlineData(5)]
    [InlineData(7)]
    public void Wrong_destination_length_is_an_argument_error_naming_it(int length)
    {
        var error = Assert.Throws<ArgumentException>(() => PixelTensorWriter.WriteChw(TwoPixels, PixelScaling.Raw, new float[length]));

        Assert.Equal("destination", error.ParamName);
    }

    [Fact]
    public void Rgb_image_rejects_a_pixel_array_of_the_wrong_size()
    {
        var error = Assert.Throws<ArgumentException>(() => new RgbImage(2, 2, new byte[11]));

        Assert.Equal("Pixels", error.ParamName);
    }
}
