namespace Pipeline.Backbones.Tfjs.Layers;

/// <summary>Which Keras layer types the converter knows, and how each is lowered to ONNX.</summary>
internal static class KerasLayerCatalog
{
    public const string InputLayer = "InputLayer";

    private static readonly Dictionary<string, IKerasLayerLowering> Lowerings = new(StringComparer.Ordinal)
    {
        ["Conv2D"] = new Conv2DLowering(),
        ["DepthwiseConv2D"] = new DepthwiseConv2DLowering(),
        ["BatchNormalization"] = new BatchNormalizationLowering(),
        ["ReLU"] = new ReluLowering(),
        ["Activation"] = new ActivationLowering(),
        ["MaxPooling2D"] = new PoolingLowering(average: false),
        ["AveragePooling2D"] = new PoolingLowering(average: true),
        ["GlobalAveragePooling2D"] = new GlobalPoolingLowering(average: true),
        ["GlobalMaxPooling2D"] = new GlobalPoolingLowering(average: false),
        ["Add"] = new AddLowering(),
        ["Concatenate"] = new ConcatenateLowering(),
        ["ZeroPadding2D"] = new ZeroPadding2DLowering(),
        ["Dropout"] = new PassThroughLowering(),
    };

    /// <summary>
    /// Classifier-head layers: known, so that a model containing them converts, but never emitted, because a feature
    /// extractor stops at feature maps.
    /// </summary>
    private static readonly HashSet<string> HeadLayers = new(StringComparer.Ordinal) { "Flatten", "Dense" };

    public static IEnumerable<string> KnownTypes =>
        Lowerings.Keys.Concat(HeadLayers).Append(InputLayer).Order(StringComparer.Ordinal);

    public static bool IsKnown(string className) =>
        className == InputLayer || Lowerings.ContainsKey(className) || HeadLayers.Contains(className);

    public static bool IsHead(string className) => HeadLayers.Contains(className);

    public static IKerasLayerLowering LoweringFor(string className) => Lowerings[className];
}
