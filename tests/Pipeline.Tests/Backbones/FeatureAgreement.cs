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
        var errors = new double[count];
        for (var sample = 0; sample < count; sample++)
        {
            double difference = 0, reference = 0;
            for (var i = sample * length; i < (sample + 1) * length; i++)
            {
                difference += (double)(actual[i] - expected[i]) * (actual[i] - expected[i]);
                reference += (double)expected[i] * expected[i];
            }

            Assert.True(reference > 0, $"Sample {sample}'s reference features are all zero; the comparison would be vacuous.");
            errors[sample] = Math.Sqrt(difference / reference);
        }

        return errors;
    }
}
