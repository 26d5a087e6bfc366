using System.Globalization;
using Pipeline.Evaluation;

namespace Pipeline.Promotion;

/// <summary>
/// Champion and challenger scored on the very same held-out images, and how sure the challenger's advantage is: a
/// seeded, label-stratified paired bootstrap of the macro-accuracy difference (challenger minus champion).
/// </summary>
/// <remarks>
/// Paired, because both models see the same images: an image that is hard for one is usually hard for the other, and
/// resampling images (not models) keeps that correlation, so the interval is much narrower than comparing two
/// independent accuracies. Stratified by label, because macro accuracy is a mean of per-label recalls: each resample
/// keeps every label's image count, so no label drops out of a resample by chance.
/// </remarks>
public sealed record PairedComparison
{
    public required double ChampionMacroAccuracy { get; init; }
    public required double ChallengerMacroAccuracy { get; init; }

    /// <summary>The (1 - <see cref="Confidence"/>) quantile of the resampled differences: a one-sided lower bound.</summary>
    public required double LowerBound { get; init; }

    public required double Confidence { get; init; }
    public required int Images { get; init; }
    public required int Resamples { get; init; }

    public double Difference => ChallengerMacroAccuracy - ChampionMacroAccuracy;

    /// <param name="labels">The split's labels: macro accuracy is taken over these.</param>
    /// <exception cref="ArgumentException">The two models were not scored on the same images.</exception>
    public static PairedComparison Compare(IReadOnlyList<string> labels, HeldOutScores champion, HeldOutScores challenger,
        double confidence = 0.95, int resamples = 2000, int seed = 42)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(resamples, 1, nameof(resamples));
        if (!(confidence > 0 && confidence < 1))
            throw new ArgumentOutOfRangeException(nameof(confidence), confidence, "Must be strictly between 0 and 1.");
        if (!champion.Images.Select(i => i.Sha256).SequenceEqual(challenger.Images.Select(i => i.Sha256)))
            throw new ArgumentException("Champion and challenger must be scored on the same images in the same order.", nameof(challenger));

        // Per label: for each image, whether the champion (bit 0) and the challenger (bit 1) got it right.
        var strata = champion.Images.Zip(challenger.Images)
            .Where(p => labels.Contains(p.First.Actual))
            .GroupBy(p => p.First.Actual, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => g.Select(p => (p.First.Correct ? 1 : 0) | (p.Second.Correct ? 2 : 0)).ToArray())
            .ToList();

        var differences = new double[resamples];
        var random = new Random(seed);
        for (var r = 0; r < resamples; r++)
        {
            double champ = 0, chall = 0;
            foreach (var stratum in strata)
            {
                int a = 0, b = 0;
                for (var i = 0; i < stratum.Length; i++)
                {
                    var outcome = stratum[random.Next(stratum.Length)];
                    a += outcome & 1;
                    b += outcome >> 1;
                }

                champ += (double)a / stratum.Length;
                chall += (double)b / stratum.Length;
            }

            differences[r] = strata.Count == 0 ? 0 : (chall - champ) / strata.Count;
        }

        Array.Sort(differences);
        var index = (int)Math.Floor((1 - confidence) * resamples);
        return new PairedComparison
        {
            ChampionMacroAccuracy = champion.MacroAccuracy(labels),
            ChallengerMacroAccuracy = challenger.MacroAccuracy(labels),
            LowerBound = differences[Math.Clamp(index, 0, resamples - 1)],
            Confidence = confidence,
            Images = strata.Sum(s => s.Length),
            Resamples = resamples,
        };
    }

    /// <summary>The numbers as one clause, for a decision's reason.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"on the same {Images} test images: challenger macro accuracy {ChallengerMacroAccuracy:0.000}, champion {ChampionMacroAccuracy:0.000}, " +
        $"difference {Difference:+0.000;-0.000;0.000}, {(1 - Confidence) * 100:0.#}th percentile of {Resamples} paired bootstrap resamples {LowerBound:+0.000;-0.000;0.000}");
}
