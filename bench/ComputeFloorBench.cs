using Pipeline.Features;
using static Pipeline.Bench.BenchFormat;

namespace Pipeline.Bench;

/// <summary>
/// Section 2: the best images/s the arithmetic allows (multiply-accumulates per image ÷ the GEMM rate ORT reaches on
/// this machine), the bare session's share of it, and the ORT options and batch sizes tried.
/// </summary>
public static class ComputeFloorBench
{
    public static async Task<BenchSection> RunAsync(PipelineEnvironment environment, BenchSettings settings, TextWriter log,
        CancellationToken ct)
    {
        var threads = BackboneSessionOptionsThreads(environment.Sessions);
        using var gemmRate = new GemmRate(settings.GemmSize, threads);
        var gemm = 0.0;

        var floorRows = new List<IReadOnlyList<string>>();
        var variantRows = new List<IReadOnlyList<string>>();
        var measured = new List<(string Architecture, MacCount Macs, double Default, double Best)>();
        var findings = new List<string>();
        foreach (var architecture in settings.Architectures)
        {
            var backbone = await environment.Backbones.PrepareAsync(architecture, ct: ct);
            var macs = MacCount.Of(backbone.OnnxPath!, backbone.Descriptor.InputSize);

            var variants = SessionVariant.All(environment.Sessions);
            var rates = new double[variants.Count];
            var images = settings.ImagesFor(architecture, settings.VariantImages);
            var sessions = variants.Select(v => v.Name).Distinct().ToDictionary(n => n, _ => (BareBackboneSession?)null);
            try
            {
                // Rounds over all variants (and the GEMM), keeping each one's best, so a burst of load elsewhere
                // hits one measurement rather than one variant; a floor measured while loaded would be too low.
                for (var round = 0; round < settings.VariantRounds; round++)
                {
                    gemm = Math.Max(gemm, gemmRate.MacsPerSecond(settings.GemmDuration));
                    for (var i = 0; i < variants.Count; i++)
                    {
                        var v = variants[i];
                        var key = v.Name.StartsWith("batch ", StringComparison.Ordinal) ? variants[0].Name : v.Name;
                        sessions[key] ??= new BareBackboneSession(backbone, v.CreateOptions(environment.Sessions));
                        rates[i] = Math.Max(rates[i], sessions[key]!.ImagesPerSecond(v.BatchSize, Math.Max(images, v.BatchSize)));
                    }
                }
            }
            finally
            {
                foreach (var s in sessions.Values) s?.Dispose();
            }

            log.WriteLine($"GEMM {settings.GemmSize}^3 so far: {gemm / 1e9:0.0} GMAC/s on {threads} thread(s); {architecture} {macs.Total / 1e9:0.000} GMAC/image");
            for (var i = 0; i < variants.Count; i++)
            {
                log.WriteLine($"variant {architecture} / {variants[i].Name}: {rates[i]:0.0} img/s");
                variantRows.Add([architecture, variants[i].Name, variants[i].BatchSize.ToString(), F(rates[i]), Ratio(rates[i] / rates[0])]);
            }

            var winners = variants.Select((v, i) => (v.Name, Gain: rates[i] / rates[0])).Skip(1).Where(w => w.Gain >= 1.1).ToList();
            findings.Add(winners.Count == 0
                ? $"{architecture}: no variant beat the pipeline's default by 10 % or more in this run."
                : $"{architecture}: beat the default by 10 % or more in this run: " +
                  string.Join(", ", winners.Select(w => $"{w.Name} (×{Ratio(w.Gain)})")) + ".");
            measured.Add((architecture, macs, rates[0], rates.Max()));
        }

        // Floors from the best GEMM rate of the whole section, so every backbone is judged against the same rate.
        foreach (var (architecture, macs, byDefault, best) in measured)
        {
            var floor = gemm / macs.Total;
            floorRows.Add([architecture, F(macs.Total / 1e9, "0.000"), F(100.0 * macs.Depthwise / macs.Total, "0") + " %",
                F(gemm / 1e9), F(floor), F(byDefault), Ratio(byDefault / floor), F(best), Ratio(best / floor)]);
            findings.Add($"{architecture}: {macs.MatrixNodes} Conv/Gemm nodes; the bare session reaches {Ratio(byDefault / floor)} " +
                         "of the GEMM floor with the pipeline's defaults.");
        }

        findings.Add("Kept as the pipeline's defaults (`BackboneSession.CreateSessionOptions`): graph optimisation ALL " +
                     "(includes the NCHWc layout transformer; EXTENDED and BASIC lose up to half the speed), sequential " +
                     "execution (these graphs are chains; the parallel executor only adds hand-offs), one intra-op thread " +
                     "per core, memory pattern on, batch 8, and intra-op spinning off: on a quiet machine spinning can win " +
                     "a bare session ~15 %, but not the full path, whose decoders need the cores the spinning threads burn " +
                     "(section 1); while other processes load the cores a spinning 2-thread pool also waits on descheduled " +
                     "threads, and turning it off won ×1.7 (MobilenetV2, loaded, during development). One " +
                     "intra-op thread wins outright on a loaded 2-core machine and loses half on a quiet one, so it is a " +
                     "setting (`BackboneSessionOptions.IntraOpThreads`), not the default.");
        findings.Add("The floor assumes every multiply-accumulate runs at the rate of a large square MatMul. Depthwise " +
                     "convolutions do one multiply-accumulate per loaded weight and activation, so they are bound by memory, " +
                     "not arithmetic; small late-layer GEMMs (7x7 or 8x8 spatial) and the element-wise layers between them " +
                     "(BatchNormalization, ReLU6, Add, pooling, not counted as MACs) add time the floor does not see. " +
                     "On a shared machine the GEMM's best run also catches quieter moments than a whole backbone pass can.");
        return new BenchSection("Compute floor and ONNX Runtime options",
            $"MACs per image counted by walking the ONNX graph (Conv, Gemm, MatMul: output elements × reduction length). GEMM rate: " +
            $"ORT running a {settings.GemmSize}×{settings.GemmSize}×{settings.GemmSize} MatMul model built in memory, " +
            $"{threads} intra-op thread(s), best run over all rounds (the GEMM runs between the variants' rounds, so the floor " +
            "is taken from the same minutes as the rest). Floor = GEMM rate ÷ MACs. Variants: bare sessions on pre-made tensors, " +
            $"one knob changed at a time from the pipeline's default, {settings.VariantRounds} interleaved rounds, best kept.",
            [
                BenchTable.Of(["backbone", "GMAC/image", "depthwise share", "GEMM GMAC/s", "floor img/s", "bare ORT img/s",
                    "bare ÷ floor", "best variant img/s", "best ÷ floor"], floorRows),
                BenchTable.Of(["backbone", "variant", "batch", "img/s", "÷ default"], variantRows),
            ],
            findings);
    }

    private static int BackboneSessionOptionsThreads(BackboneSessionOptions options) =>
        options.IntraOpThreads > 0 ? options.IntraOpThreads : Environment.ProcessorCount;
}
