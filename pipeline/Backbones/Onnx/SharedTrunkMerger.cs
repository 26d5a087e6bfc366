using Google.Protobuf;
using Pipeline.Backbones.Onnx.Proto;

namespace Pipeline.Backbones.Onnx;

/// <summary>
/// Merges backbones that are cut from the same network (ResNet18 pooled and spatial, or a fine-tuned copy that shares
/// its first stages) into one ONNX model with one output per backbone, so one run of the shared layers feeds them all.
/// A node of a later backbone is shared when an earlier one already has the same operator, attributes and (shared)
/// inputs; an initializer when one of the same name holds the same tensor. Everything else is kept under a
/// <c>partK/</c> prefix, so the merged model computes exactly what each backbone computes alone.
/// </summary>
internal static class SharedTrunkMerger
{
    /// <summary>The output name of backbone <paramref name="part"/> in the merged model.</summary>
    public static string OutputName(int part) => $"features_{part}";

    /// <summary>
    /// The merged model, or null when the backbones cannot share a run: one input each, named alike and typed alike,
    /// the same operator sets, and at least one node in common.
    /// </summary>
    /// <param name="outputNames">Each model's feature output, in the same order.</param>
    public static ModelProto? TryMerge(IReadOnlyList<ModelProto> models, IReadOnlyList<string> outputNames)
    {
        if (models.Count < 2 || models.Count != outputNames.Count) return null;
        var first = models[0];
        if (first.Graph.Input.Count != 1) return null;
        foreach (var model in models.Skip(1))
        {
            if (model.Graph.Input.Count != 1 || !model.Graph.Input[0].Equals(first.Graph.Input[0])) return null;
            if (!model.OpsetImport.OrderBy(o => o.Domain).SequenceEqual(first.OpsetImport.OrderBy(o => o.Domain))) return null;
        }

        var merged = new Merge(first);
        var outputs = new List<string> { merged.Adopt(first, part: 0, outputNames[0]) };
        for (var part = 1; part < models.Count; part++)
            outputs.Add(merged.Adopt(models[part], part, outputNames[part]));
        if (merged.SharedNodes == 0) return null;
        return merged.Finish(first, outputs);
    }

    /// <summary>The graph being assembled: its nodes by signature, its initializers and every value name it uses.</summary>
    private sealed class Merge
    {
        private readonly GraphProto graph;
        private readonly Dictionary<string, NodeProto> nodesBySignature = new(StringComparer.Ordinal);
        private readonly Dictionary<string, TensorProto> initializers = new(StringComparer.Ordinal);
        private readonly HashSet<string> valueNames = new(StringComparer.Ordinal);
        private readonly HashSet<string> nodeNames = new(StringComparer.Ordinal);

        public Merge(ModelProto first)
        {
            graph = new GraphProto { Name = first.Graph.Name };
            graph.Input.Add(first.Graph.Input[0]);
            valueNames.Add(first.Graph.Input[0].Name);
        }

        public int SharedNodes { get; private set; }

        /// <summary>Adds one backbone's graph; returns the merged name of its feature output.</summary>
        public string Adopt(ModelProto model, int part, string outputName)
        {
            var inputName = model.Graph.Input[0].Name;
            var renamed = new Dictionary<string, string>(StringComparer.Ordinal) { [inputName] = inputName };
            foreach (var tensor in model.Graph.Initializer)
                renamed[tensor.Name] = AdoptInitializer(tensor, part);

            foreach (var node in model.Graph.Node)
            {
                var inputs = node.Input.Select(i => i.Length == 0 ? i : renamed.GetValueOrDefault(i, i)).ToList();
                var signature = Signature(node, inputs);
                if (part > 0 && nodesBySignature.TryGetValue(signature, out var existing))
                {
                    for (var o = 0; o < node.Output.Count; o++) renamed[node.Output[o]] = existing.Output[o];
                    SharedNodes++;
                    continue;
                }

                var copy = node.Clone();
                copy.Input.Clear();
                copy.Input.AddRange(inputs);
                copy.Output.Clear();
                foreach (var output in node.Output)
                {
                    var name = output.Length == 0 ? output : Unique(valueNames, output, part);
                    renamed[output] = name;
                    copy.Output.Add(name);
                }

                if (copy.HasName) copy.Name = Unique(nodeNames, copy.Name, part);
                graph.Node.Add(copy);
                nodesBySignature.TryAdd(signature, copy);
            }

            return renamed.TryGetValue(outputName, out var merged)
                ? merged
                : throw new InvalidOperationException($"The backbone graph has no value '{outputName}'.");
        }

        /// <summary>The merged model: the first model's header, and one float output per backbone, in order.</summary>
        public ModelProto Finish(ModelProto first, IReadOnlyList<string> outputs)
        {
            for (var part = 0; part < outputs.Count; part++)
            {
                // An Identity gives each backbone its own output name, even where two backbones end in the same value.
                graph.Node.Add(new NodeProto
                {
                    OpType = "Identity",
                    Name = Unique(nodeNames, $"output_{part}", 0),
                    Input = { outputs[part] },
                    Output = { OutputName(part) },
                });
                graph.Output.Add(new ValueInfoProto
                {
                    Name = OutputName(part),
                    Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float } },
                });
            }

            graph.Initializer.AddRange(initializers.Values);
            return new ModelProto
            {
                IrVersion = first.IrVersion,
                ProducerName = "pipeline shared trunk",
                OpsetImport = { first.OpsetImport },
                Graph = graph,
            };
        }

        private string AdoptInitializer(TensorProto tensor, int part)
        {
            if (initializers.TryGetValue(tensor.Name, out var existing) && existing.Equals(tensor)) return tensor.Name;
            var name = Unique(valueNames, tensor.Name, part);
            if (name == tensor.Name)
            {
                initializers[name] = tensor;
                return name;
            }

            var copy = tensor.Clone();
            copy.Name = name;
            initializers[name] = copy;
            return name;
        }

        /// <summary>Operator, domain, inputs and attributes: two nodes alike in these compute the same values.</summary>
        private static string Signature(NodeProto node, IReadOnlyList<string> inputs)
        {
            var attributes = new NodeProto { Attribute = { node.Attribute } }.ToByteString().ToBase64();
            return $"{node.Domain}|{node.OpType}|{node.Output.Count}|{string.Join(',', inputs)}|{attributes}";
        }

        /// <summary>The name itself when free, else it under the part's prefix (with a counter if even that is taken).</summary>
        private static string Unique(HashSet<string> names, string name, int part)
        {
            if (names.Add(name)) return name;
            var prefixed = $"part{part}/{name}";
            for (var suffix = 1; !names.Add(prefixed); suffix++) prefixed = $"part{part}/{name}_{suffix}";
            return prefixed;
        }
    }
}
