using Pipeline.Backbones.Downloads;
using Pipeline.Images;
using Xunit;

namespace Pipeline.Tests.Downloads;

[Trait("Kind", "Unit")]
public sealed class ZooBackbonesTests
{
    [Fact]
    public void Zoo_resnets_are_pinned_and_name_the_pooled_tensor_before_the_classifier()
    {
        Assert.Equal(["ResnetV250", "ResnetV2101"], ZooBackbones.All.Select(b => b.Name));
        Assert.All(ZooBackbones.All, backbone =>
        {
            Assert.Equal("https", backbone.Url.Scheme);
            Assert.Matches("^[0-9a-f]{64}$", backbone.Sha256);
            Assert.True(backbone.SizeBytes > 0);
            Assert.Equal(224, backbone.InputSize);
            Assert.Equal(PixelScaling.ImageNetMeanStd, backbone.Scaling);
            Assert.EndsWith("_pool1_fwd", backbone.FeatureTensor);
        });
        Assert.Equal("resnet101-v2-7.onnx", ZooBackbones.ResnetV2101.FileName);
    }

    [Fact]
    public void Download_request_targets_the_given_folder_under_the_zoo_file_name()
    {
        var request = ZooBackbones.ResnetV250.ToDownloadRequest("/cache");

        Assert.Equal(Path.Combine("/cache", "resnet50-v2-7.onnx"), request.DestinationPath);
        Assert.Equal(ZooBackbones.ResnetV250.Sha256, request.Sha256);
        Assert.Equal(102_442_452, request.ExpectedBytes);
        Assert.Same(ZooBackbones.ResnetV250, ZooBackbones.Find("resnetv250"));
    }
}
