using Pipeline.Datasets;
using Pipeline.Evaluation;
using Pipeline.Features;
using Pipeline.Progress;

namespace Pipeline.Registry;

/// <summary>
/// Scores a saved model (the serving champion) on a test split it was not necessarily trained for, so that champion
/// and challenger are compared on the very same images. See <see cref="MacroAccuracy"/> for labels it does not know.
/// </summary>
public static class ChampionEvaluator
{
    public static async Task<double> MacroAccuracyAsync(ClassifierModel model, IReadOnlyList<LabelledImage> test,
        IReadOnlyList<string> labels, IProgress<ProgressUpdate>? progress = null, CancellationToken ct = default)
    {
        var predictions = new List<(string Actual, string? Predicted)>(test.Count);
        foreach (var image in test)
        {
            ct.ThrowIfCancellationRequested();
            var bytes = await File.ReadAllBytesAsync(image.Path, ct);
            string? predicted;
            try
            {
                predicted = await Task.Run(() => model.Predict(bytes, 1).Label, ct);
            }
            catch (ImageRejectedException)
            {
                // The challenger's trainer leaves such an image out; here it simply counts as a miss.
                predicted = null;
            }

            predictions.Add((image.Label, predicted));
            progress?.Report(new ProgressUpdate("evaluate", "champion", predictions.Count, test.Count));
        }

        return MacroAccuracy.Compute(labels, predictions);
    }
}
