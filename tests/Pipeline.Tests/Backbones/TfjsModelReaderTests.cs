using System.Buffers.Binary;
using Pipeline.Backbones.Tfjs;
using Xunit;

namespace Pipeline.Tests.Backbones;

[Trait("Kind", "Unit")]
public sealed class TfjsModelReaderTests : IDisposable
{
    private readonly DirectoryInfo scratch = Directory.CreateTempSubdirectory("tfjs-reader-");

    [Fact]
    public void Uint8_quantised_weights_decode_as_q_times_scale_plus_min()
    {
        var model = ReadSingleWeight([4], [0, 1, 128, 255], new { dtype = "uint8", min = -1.0, scale = 0.5 });

        Assert.Equal([-1f, -0.5f, 63f, 126.5f], model.Weights["layer/w"].Values.ToArray());
    }

    [Fact]
    public void Uint16_quantised_weights_decode_little_endian_values()
    {
        var bytes = new byte[6];
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(0), 0);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2), 1000);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(4), 65535);

        var model = ReadSingleWeight([3], bytes, new { dtype = "uint16", min = 2.0, scale = 0.001 });

        Assert.Equal([2f, 3f, (float)(65535 * 0.001 + 2.0)], model.Weights["layer/w"].Values.ToArray());
    }

    [Fact]
    public void Float16_quantised_weights_decode_as_halves()
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(0), (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(bytes.AsSpan(2), (Half)(-0.25f));

        var model = ReadSingleWeight([2], bytes, new { dtype = "float16" });

        Assert.Equal([1.5f, -0.25f], model.Weights["layer/w"].Values.ToArray());
    }

    [Fact]
    public void Plain_float32_weights_keep_their_shape_and_values_and_follow_each_other_in_the_file()
    {
        var modelJson = new KerasModelFile()
            .Input("image", 4, 4)
            .Weight("a/kernel", [1, 1, 3, 2], [1, 2, 3, 4, 5, 6])
            .QuantizedWeight("b/bias", [2], [10, 20], new { dtype = "uint8", min = 0.0, scale = 0.1 })
            .Weight("c/gamma", [1], [-7.25f])
            .Save(scratch.FullName, "image");

        var model = TfjsModelReader.Read(modelJson);

        Assert.Equal([1, 1, 3, 2], model.Weights["a/kernel"].Shape);
        Assert.Equal([1f, 2, 3, 4, 5, 6], model.Weights["a/kernel"].Values.ToArray());
        Assert.Equal([1f, 2f], model.Weights["b/bias"].Values.ToArray());
        Assert.Equal([-7.25f], model.Weights["c/gamma"].Values.ToArray());
    }

    [Fact]
    public void Weight_file_shorter_than_the_manifest_is_reported_with_the_weight_name()
    {
        var modelJson = new KerasModelFile()
            .Input("image", 4, 4)
            .QuantizedWeight("layer/w", [8], [1, 2, 3], new { dtype = "uint8", min = 0.0, scale = 1.0 })
            .Save(scratch.FullName, "image");

        var error = Assert.Throws<InvalidDataException>(() => TfjsModelReader.Read(modelJson));
        Assert.Contains("layer/w", error.Message);
    }

    [Fact]
    public void Functional_topology_keeps_layer_types_configs_and_inbound_layers()
    {
        var modelJson = new KerasModelFile()
            .Input("image", 8, 8)
            .Layer("left", "ReLU", new { max_value = 6.0 }, "image")
            .Layer("right", "Activation", new { activation = "tanh" }, "image")
            .Layer("sum", "Add", new { }, "left", "right")
            .Save(scratch.FullName, "sum");

        var model = TfjsModelReader.Read(modelJson);

        Assert.Equal(["image", "left", "right", "sum"], model.Layers.Select(layer => layer.Name));
        Assert.Equal(["left", "right"], model.FindLayer("sum")!.InboundLayers);
        Assert.Equal("ReLU", model.FindLayer("left")!.ClassName);
        Assert.Equal(6.0, model.FindLayer("left")!.Config.GetProperty("max_value").GetDouble());
        Assert.Equal(["image"], model.InputLayers);
        Assert.Equal(["sum"], model.OutputLayers);
    }

    [Fact]
    public void Sequential_topology_becomes_a_chain_behind_a_synthesised_input_layer()
    {
        var modelJson = new KerasModelFile()
            .Input("image", 8, 8)
            .Layer("first", "ReLU", new { }, "image")
            .Layer("second", "Activation", new { activation = "sigmoid" }, "first")
            .SaveSequential(scratch.FullName);

        var model = TfjsModelReader.Read(modelJson);

        Assert.Equal(["first_input", "first", "second"], model.Layers.Select(layer => layer.Name));
        Assert.Equal("InputLayer", model.Layers[0].ClassName);
        Assert.Equal(["first_input"], model.FindLayer("first")!.InboundLayers);
        Assert.Equal(["first"], model.FindLayer("second")!.InboundLayers);
    }

    public void Dispose() => scratch.Delete(recursive: true);

    private TfjsLayersModel ReadSingleWeight(int[] shape, byte[] bytes, object quantization)
    {
        var modelJson = new KerasModelFile()
            .Input("image", 4, 4)
            .QuantizedWeight("layer/w", shape, bytes, quantization)
            .Save(scratch.FullName, "image");
        return TfjsModelReader.Read(modelJson);
    }
}
