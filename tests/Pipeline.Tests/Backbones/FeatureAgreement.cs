using Xunit;

namespace Pipeline.Tests.Backbones;

/// <summary>How far two batches of feature vectors are apart, sample by sample.</summary>
internal static class FeatureAgreement
{
    /// <summary>||actual - expected|| / ||expected|| for each sample of a [count, length] row-major batch.</summary>
    public static double[] RelativeL2Errors(float[] actual, float[] expected, int count)
    {
        Assert.Equal(expected.Length, actual.Length);
        var length = expected.Length / count;
        return Enumerable.Range(0, count)
            .Select(sample => RelativeL2(actual.AsSpan(sample * length, length), expected.AsSpan(sample * length, length)))
            .ToArray();
    }

    /// <summary>||actual - expected|| / ||expected|| of one feature vector.</summary>
    public static double RelativeL2(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double difference = 0, reference = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            difference += (double)(actual[i] - expected[i]) * (actual[i] - expected[i]);
            reference += (double)expected[i] * expected[i];
        }

        Assert.True(reference > 0, "The reference features are all zero; the comparison would be vacuous.");
        return Math.Sqrt(difference / reference);
    }
}
