using Pipeline.Export;
using Pipeline.Training;

namespace Pipeline.Tests.Training;

/// <summary>A previous head re-expressed for a new standardisation scores every feature vector as before.</summary>
[Trait("Kind", "Unit")]
public sealed class HeadStartTests
{
    [Fact]
    public void A_head_in_a_new_standardisation_gives_the_old_scores()
    {
        var random = new Random(3);
        float[] Vector(int n, float low, float high) => Enumerable.Range(0, n).Select(_ => low + (high - low) * (float)random.NextDouble()).ToArray();
        const int features = 7, classes = 3;
        var old = new LinearHead
        {
            Scale = Vector(features, 0.5f, 2f), Offset = Vector(features, -1f, 1f),
            Weights = Vector(features * classes, -1f, 1f), Biases = Vector(classes, -1f, 1f),
        };
        var scale = Vector(features, 0.5f, 2f);
        var offset = Vector(features, -1f, 1f);

        var (weights, biases) = new HeadStart(old).In(scale, offset);

        var moved = new LinearHead
        {
            Scale = scale, Offset = offset, Weights = weights.SelectMany(w => w.Select(v => (float)v)).ToArray(), Biases = biases,
        };
        for (var trial = 0; trial < 20; trial++)
        {
            var x = Vector(features, -3f, 3f);
            Assert.Equal(old.Probabilities(x), moved.Probabilities(x), (a, b) => Math.Abs(a - b) < 1e-5);
        }
    }
}
