using System.Diagnostics;
using Pipeline.FineTuning.LastStage;
using TorchSharp;
using static TorchSharp.torch;

namespace Pipeline.FineTuning.Tuning;

/// <summary>
/// Fine-tunes the last ResNet18 stage with a softmax head on top, from cached stage-3 activations: first the head
/// alone on the frozen stage's pooled features (so the stage is not pushed around by a random head), then the stage
/// and head together by SGD with momentum, each weight pulled back towards its pretrained value (L2-SP).
/// </summary>
internal static class LastStageTuner
{
    private const int HeadOnlySteps = 300;

    /// <param name="samples">Per image, its activations in every view (index 0: the original).</param>
    /// <param name="labels">Per image, its label index.</param>
    public static TuningReport Tune(LastStageModule stage, IReadOnlyList<float[][]> samples, IReadOnlyList<int> labels,
        int classes, TuningOptions options, Action<string>? log = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(stage);
        options.Validate();
        if (samples.Count != labels.Count || samples.Count == 0)
            throw new ArgumentException($"{samples.Count} samples for {labels.Count} labels.", nameof(samples));
        torch.random.manual_seed(options.Seed);
        var random = new Random(options.Seed);
        var clock = Stopwatch.StartNew();

        var pretrained = stage.parameters().Select(p => p.detach().clone()).ToList();
        var head = nn.Linear(512, classes);
        var headLoss = FitHeadAlone(stage, head, samples, labels, options, ct);
        log?.Invoke($"head alone: loss {headLoss:F4} ({clock.Elapsed.TotalSeconds:F1} s)");

        var epochs = new List<EpochReport>();
        // The head starts fitted but was fitted to frozen features, so it follows the moving stage with larger steps.
        using var stageOptimizer = optim.SGD(stage.parameters(), options.LearningRate, momentum: 0.9);
        using var headOptimizer = optim.SGD(head.parameters(), options.LearningRate * 10, momentum: 0.9);
        var tunedParameters = stage.parameters().ToList();
        for (var epoch = 1; epoch <= options.Epochs; epoch++)
        {
            var order = Enumerable.Range(0, samples.Count).ToArray();
            random.Shuffle(order);
            double lossSum = 0;
            var correct = 0;
            for (var start = 0; start < order.Length; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var batch = order.AsSpan(start, Math.Min(options.BatchSize, order.Length - start)).ToArray();
                var views = batch.Select(i => random.Next(samples[i].Length)).ToArray();
                using var scope = NewDisposeScope();
                var input = Batch(batch.Select((i, k) => samples[i][views[k]]).ToList());
                var target = tensor(batch.Select(i => (long)labels[i]).ToArray());
                var logits = head.forward(stage.forward(input));
                var loss = nn.functional.cross_entropy(logits, target);
                var pull = tunedParameters.Zip(pretrained, (p, p0) => (p - p0).pow(2).sum()).Aggregate((a, b) => a + b);
                var objective = loss + options.PretrainedPull / 2 * pull;
                stageOptimizer.zero_grad();
                headOptimizer.zero_grad();
                objective.backward();
                stageOptimizer.step();
                headOptimizer.step();
                lossSum += loss.item<float>() * batch.Length;
                correct += (int)logits.argmax(1).eq(target).sum().item<long>();
            }

            var report = new EpochReport(epoch, lossSum / order.Length, (double)correct / order.Length, clock.Elapsed.TotalSeconds);
            epochs.Add(report);
            log?.Invoke($"epoch {epoch}: loss {report.Loss:F4}, train accuracy {report.TrainAccuracy:F3} ({report.Seconds:F1} s)");
        }

        var drift = Math.Sqrt(tunedParameters.Zip(pretrained, (p, p0) => (p - p0).pow(2).sum().item<float>()).Sum());
        return new TuningReport(samples.Count, classes, headLoss, epochs, drift, clock.Elapsed.TotalSeconds);
    }

    // The stage is frozen here, so its pooled features are computed once (original views) and the head is fitted on
    // them full batch by Adam.
    private static double FitHeadAlone(LastStageModule stage, nn.Module<Tensor, Tensor> head, IReadOnlyList<float[][]> samples,
        IReadOnlyList<int> labels, TuningOptions options, CancellationToken ct)
    {
        Tensor pooled;
        using (no_grad())
        {
            var chunks = new List<Tensor>();
            for (var start = 0; start < samples.Count; start += options.BatchSize)
            {
                ct.ThrowIfCancellationRequested();
                var count = Math.Min(options.BatchSize, samples.Count - start);
                chunks.Add(stage.forward(Batch(Enumerable.Range(start, count).Select(i => samples[i][0]).ToList())));
            }

            pooled = cat(chunks, 0);
        }

        var target = tensor(labels.Select(l => (long)l).ToArray());
        using var adam = optim.Adam(head.parameters(), lr: 0.01, weight_decay: 1e-4);
        var loss = 0.0;
        for (var step = 0; step < HeadOnlySteps; step++)
        {
            using var scope = NewDisposeScope();
            var value = nn.functional.cross_entropy(head.forward(pooled), target);
            adam.zero_grad();
            value.backward();
            adam.step();
            loss = value.item<float>();
        }

        return loss;
    }

    private static Tensor Batch(IReadOnlyList<float[]> activations)
    {
        var values = new float[activations.Count * Stage3Activations.Length];
        for (var i = 0; i < activations.Count; i++)
            activations[i].AsSpan().CopyTo(values.AsSpan(i * Stage3Activations.Length));
        return tensor(values, [activations.Count, Stage3Activations.Channels, Stage3Activations.Side, Stage3Activations.Side]);
    }
}
