using Pipeline.Features;

namespace Pipeline.Tests.Features;

[Trait("Kind", "Unit")]
public class FeatureCacheTests
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "pipeline-tests", Guid.NewGuid().ToString("N"));

    [Fact]
    public void A_written_vector_reads_back_exactly_and_only_under_its_own_key()
    {
        var cache = new FeatureCache(_root);
        var sha = new string('a', 64);
        float[] vector = [1.5f, -2f, float.Epsilon, 1e30f];

        cache.Write("MobilenetV2-1", sha, vector);

        Assert.True(cache.TryRead("MobilenetV2-1", sha, 4, out var read));
        Assert.Equal(vector, read);
        Assert.False(cache.TryRead("InceptionV3-1", sha, 4, out _));
    }

    [Fact]
    public void A_vector_of_the_wrong_length_counts_as_a_miss()
    {
        var cache = new FeatureCache(_root);
        var sha = new string('b', 64);
        cache.Write("k", sha, [1f, 2f, 3f]);

        Assert.False(cache.TryRead("k", sha, 4, out _));
    }
}
