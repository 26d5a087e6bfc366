using static TorchSharp.torch;

namespace Pipeline.FineTuning.Tests;

/// <summary>
/// libtorch loads from this output folder on Debian 12 (where it needs finetune/LibTorchSharpWeakGlibcxx.targets) and
/// its autograd is right: a convolution's weight gradient against central finite differences.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class LibTorchTests
{
    [Fact]
    public void A_convolution_weight_gradient_matches_central_finite_differences()
    {
        random.manual_seed(7);
        var x = randn([2, 3, 6, 6], dtype: ScalarType.Float64);
        var w = randn([4, 3, 3, 3], dtype: ScalarType.Float64, requires_grad: true);
        double Objective(Tensor weights) => nn.functional.conv2d(x, weights, padding: [1, 1]).pow(2).sum().item<double>();

        nn.functional.conv2d(x, w, padding: [1, 1]).pow(2).sum().backward();
        var gradient = w.grad!.data<double>().ToArray();

        const double step = 1e-5;
        var flat = w.detach().clone().flatten();
        foreach (var index in new[] { 0, 13, 50, 107 })
        {
            var plus = flat.clone();
            plus[index] += step;
            var minus = flat.clone();
            minus[index] -= step;
            var numeric = (Objective(plus.reshape(4, 3, 3, 3)) - Objective(minus.reshape(4, 3, 3, 3))) / (2 * step);
            Assert.True(Math.Abs(numeric - gradient[index]) <= 1e-6 * Math.Max(1, Math.Abs(numeric)),
                $"weight {index}: autograd {gradient[index]}, finite differences {numeric}");
        }
    }
}
