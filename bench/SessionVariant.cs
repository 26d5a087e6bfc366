using Microsoft.ML.OnnxRuntime;
using SessionOptions = Microsoft.ML.OnnxRuntime.SessionOptions;
using Pipeline.Features;

namespace Pipeline.Bench;

/// <summary>One ONNX Runtime configuration tried against the pipeline's defaults: session options and a batch size.</summary>
public sealed record SessionVariant(string Name, int BatchSize, Action<SessionOptions> Change,
    Func<BackboneSessionOptions, BackboneSessionOptions>? Pipeline = null)
{
    public SessionOptions CreateOptions(BackboneSessionOptions defaults)
    {
        var options = BackboneSession.CreateSessionOptions(Pipeline?.Invoke(defaults) ?? defaults);
        Change(options);
        return options;
    }

    /// <summary>The default first (every other row is relative to it), then one knob changed at a time.</summary>
    public static IReadOnlyList<SessionVariant> All(BackboneSessionOptions defaults)
    {
        var b = defaults.BatchSize;
        return
        [
            new("pipeline default", b, _ => { }),
            new("graph optimisation EXTENDED (no NCHWc layout)", b, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_EXTENDED),
            new("graph optimisation BASIC", b, o => o.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_BASIC),
            new("intra-op threads 1", b, o => o.IntraOpNumThreads = 1),
            new($"intra-op spinning {(defaults.IntraOpSpinning ? "off" : "on")}", b, _ => { },
                d => d with { IntraOpSpinning = !d.IntraOpSpinning }),
            new("memory pattern off", b, o => o.EnableMemoryPattern = false),
            new("parallel execution, inter-op 2", b, o => { o.ExecutionMode = ExecutionMode.ORT_PARALLEL; o.InterOpNumThreads = 2; }),
            new("batch 1", 1, _ => { }),
            new("batch 4", 4, _ => { }),
            new("batch 16", 16, _ => { }),
        ];
    }
}
