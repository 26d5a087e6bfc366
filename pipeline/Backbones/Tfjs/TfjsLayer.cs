using System.Text.Json;

namespace Pipeline.Backbones.Tfjs;

/// <summary>One Keras layer of a TF.js layers model, as written in model.json.</summary>
/// <param name="Name">The layer's unique name, such as "block_5_add".</param>
/// <param name="ClassName">The Keras layer type, such as "Conv2D".</param>
/// <param name="Config">The layer's <c>config</c> object, detached from the document it was read from.</param>
/// <param name="InboundLayers">Names of the layers whose outputs feed this one, in argument order.</param>
public sealed record TfjsLayer(string Name, string ClassName, JsonElement Config, IReadOnlyList<string> InboundLayers);
