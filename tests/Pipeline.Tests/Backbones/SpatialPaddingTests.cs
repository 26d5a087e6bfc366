using Pipeline.Backbones.Tfjs.Layers;
using Xunit;

namespace Pipeline.Tests.Backbones;

[Trait("Kind", "Unit")]
public sealed class SpatialPaddingTests
{
    [Theory]
    // input, kernel, stride, dilation -> begin, end, output
    [InlineData(224, 3, 2, 1, 0, 1, 112)] // even input, stride 2: the single extra cell goes to the end
    [InlineData(225, 3, 2, 1, 1, 1, 113)]
    [InlineData(7, 3, 1, 1, 1, 1, 7)]
    [InlineData(10, 3, 1, 2, 2, 2, 10)] // dilation 2 makes the 3-tap kernel span 5 cells
    [InlineData(9, 4, 1, 1, 1, 2, 9)] // even kernel, stride 1: total 3, the larger half at the end
    [InlineData(5, 1, 2, 1, 0, 0, 3)] // a window smaller than the stride needs no padding at all
    [InlineData(5, 2, 2, 1, 0, 1, 3)]
    [InlineData(1, 3, 1, 1, 1, 1, 1)]
    public void Same_padding_follows_tensorflow_and_puts_an_odd_extra_cell_at_the_end(
        int input, int kernel, int stride, int dilation, int begin, int end, int output)
    {
        Assert.Equal(new PaddedExtent(begin, end, output), SpatialPadding.Same(input, kernel, stride, dilation));
    }

    [Theory]
    [InlineData(299, 3, 2, 1, 149)]
    [InlineData(8, 7, 7, 1, 1)] // the last partial window is dropped
    [InlineData(10, 3, 1, 2, 6)]
    public void Valid_padding_drops_partial_windows(int input, int kernel, int stride, int dilation, int output)
    {
        Assert.Equal(new PaddedExtent(0, 0, output), SpatialPadding.Valid(input, kernel, stride, dilation));
    }

    [Fact]
    public void Valid_padding_rejects_a_window_larger_than_the_input()
    {
        var error = Assert.Throws<ArgumentException>(() => SpatialPadding.Valid(input: 4, kernel: 3, stride: 1, dilation: 2));
        Assert.Contains("does not fit", error.Message);
    }

    [Fact]
    public void Unknown_padding_mode_is_rejected_by_name()
    {
        var error = Assert.Throws<NotSupportedException>(() => SpatialPadding.For("causal", 10, 3, 1));
        Assert.Contains("causal", error.Message);
    }
}
