using System.Security.Cryptography;
using Pipeline.Backbones;
using Pipeline.Backbones.Onnx;
using Pipeline.Datasets;
using Pipeline.Features;
using Pipeline.Tests.Backbones;
using Pipeline.Tests.Support;
using Pipeline.Training;

namespace Pipeline.Tests.Features;

/// <summary>
/// ResNet18's pooled and spatial backbones run as one merged model: the same features as each run alone, the shared
/// layers once, a candidate featurised with its sibling fills the sibling's cache with the sibling's own features, and
/// two sibling candidates running at once compute each image once between them.
/// </summary>
[Trait("Kind", "Unit")]
public sealed class SharedTrunkTests
{
    // Float sums in another order could differ in the last bits; on ONNX Runtime's CPU provider they are equal.
    private const double Tolerance = 1e-5;

    [Fact]
    public async Task One_run_of_the_merged_model_gives_each_backbone_its_own_features_and_runs_the_shared_layers_once()
    {
        var (_, pooled, spatial) = await PrepareBothAsync();
        var images = ResNet18TestImages.Load(3);

        using var shared = SharedTrunk.TryCreate([spatial, pooled]);
        Assert.NotNull(shared);
        Assert.Equal(spatial.Descriptor.FeatureLength + pooled.Descriptor.FeatureLength, shared.FeatureLength);
        using var alone = ModelFeaturizer.Create([spatial, pooled]);
        Assert.True(alone.SharesOneRun, "the combined candidate's featurizer does not share one run");
        using var spatialAlone = new ImageFeaturizer(spatial);
        using var pooledAlone = new ImageFeaturizer(pooled);

        var batch = shared.FeaturizeBatch(images);
        for (var i = 0; i < images.Count; i++)
        {
            float[] expected = [.. spatialAlone.Featurize(images[i]), .. pooledAlone.Featurize(images[i])];
            AssertClose(expected, shared.Featurize(images[i]), $"image {i}, alone");
            AssertClose(expected, batch[i], $"image {i}, in a batch");
            AssertClose(expected, alone.Featurize(images[i]), $"image {i}, through the model featurizer");
        }

        // Every convolution of the network is in the merged model once, not once per backbone.
        var spatialGraph = OnnxModelFile.Read(spatial.OnnxPath!);
        var pooledGraph = OnnxModelFile.Read(pooled.OnnxPath!);
        var merged = SharedTrunkMerger.TryMerge([spatialGraph, pooledGraph], ["features", "features"])!;
        static int Convolutions(Pipeline.Backbones.Onnx.Proto.ModelProto m) => m.Graph.Node.Count(n => n.OpType == "Conv");
        Assert.True(Convolutions(pooledGraph) > 10);
        Assert.Equal(Convolutions(pooledGraph), Convolutions(merged));
        Assert.Equal(Convolutions(spatialGraph), Convolutions(merged));
    }

    [Fact]
    public async Task Backbones_of_other_networks_or_other_inputs_never_share_a_run()
    {
        var (environment, pooled, spatial) = await PrepareBothAsync();
        var raw = await environment.Backbones.PrepareAsync(BackboneCatalog.RawPixels);
        PreparedBackbone Changed(Func<BackboneDescriptor, BackboneDescriptor> change) =>
            spatial with { Descriptor = change(spatial.Descriptor) };

        Assert.True(SharedTrunk.CanShareRun([pooled, spatial]));
        Assert.False(SharedTrunk.CanShareRun([pooled]));
        Assert.False(SharedTrunk.CanShareRun([pooled, raw]));
        Assert.False(SharedTrunk.CanShareRun([pooled, Changed(d => d with { Source = "a fine-tuned copy" })]));
        Assert.False(SharedTrunk.CanShareRun([pooled, Changed(d => d with { InputSize = 299 })]));
        Assert.False(SharedTrunk.CanShareRun([pooled, Changed(d => d with { Scaling = Pipeline.Images.PixelScaling.MinusOneToOne })]));
        Assert.Null(SharedTrunk.TryCreate([pooled, raw]));
        using var mixed = ModelFeaturizer.Create([pooled, raw]);
        Assert.False(mixed.SharesOneRun);
    }

    [Fact]
    public async Task A_candidate_featurised_with_its_sibling_fills_the_siblings_cache_with_the_siblings_own_features()
    {
        var (environment, pooled, spatial) = await PrepareBothAsync();
        var (images, cache) = WriteImages(RepositoryPaths.NewTempFolder("shared-trunk"), 3);

        using var own = ModelFeaturizer.Create([pooled]);
        using var training = await TrainingFeaturizer.CreateAsync(own,
            [BackboneCatalog.RawPixels, BackboneCatalog.Resnet18, BackboneCatalog.Resnet18Spatial, "Resnet18Spatial+Resnet18"],
            environment.Backbones, cache, null, null, CancellationToken.None);
        Assert.Equal([BackboneCatalog.Resnet18Spatial], training.Siblings);

        var features = await training.FeaturizeAsync(images, ImageView.Greyscale, null, CancellationToken.None);
        Assert.Equal(images.Count, features.Computed);

        using var pooledAlone = new ImageFeaturizer(pooled);
        using var spatialAlone = new ImageFeaturizer(spatial);
        var pooledExpected = await pooledAlone.FeaturizeAsync(images, null, ImageView.Greyscale);
        var spatialExpected = await spatialAlone.FeaturizeAsync(images, null, ImageView.Greyscale);
        foreach (var image in images)
        {
            AssertClose(pooledExpected.BySha256[image.Sha256], features.BySha256[image.Sha256], "the candidate's own features");
            Assert.True(cache.TryRead(ImageFeaturizer.CacheKey(spatial.Descriptor, ImageView.Greyscale), image.Sha256,
                spatial.Descriptor.FeatureLength, out var cached), "the sibling's features were not cached");
            AssertClose(spatialExpected.BySha256[image.Sha256], cached, "the sibling's cached features");
        }

        // The sibling's candidate then computes nothing.
        using var siblingFeaturizer = ModelFeaturizer.Create([spatial]);
        Assert.Equal(0, (await siblingFeaturizer.FeaturizeAsync(images, cache, ImageView.Greyscale)).Computed);
    }

    [Fact]
    public async Task Sibling_candidates_featurising_at_the_same_time_compute_each_image_once()
    {
        var (environment, pooled, spatial) = await PrepareBothAsync();
        var (images, cache) = WriteImages(RepositoryPaths.NewTempFolder("shared-trunk-turns"), 4);
        string[] retrain = [BackboneCatalog.Resnet18, BackboneCatalog.Resnet18Spatial];

        using var pooledOwn = ModelFeaturizer.Create([pooled]);
        using var spatialOwn = ModelFeaturizer.Create([spatial]);
        using var first = await TrainingFeaturizer.CreateAsync(pooledOwn, retrain, environment.Backbones, cache, null, null,
            CancellationToken.None);
        using var second = await TrainingFeaturizer.CreateAsync(spatialOwn, retrain, environment.Backbones, cache, null, null,
            CancellationToken.None);

        // The two candidates of a retrain on two workers: both start on the same images at once.
        var both = await Task.WhenAll(
            Task.Run(() => first.FeaturizeAsync(images, ImageView.Original, null, CancellationToken.None)),
            Task.Run(() => second.FeaturizeAsync(images, ImageView.Original, null, CancellationToken.None)));

        Assert.Equal(images.Count, both[0].Computed + both[1].Computed);
        Assert.Equal(images.Count, both[0].BySha256.Count);
        Assert.Equal(images.Count, both[1].BySha256.Count);
        using var spatialAlone = new ImageFeaturizer(spatial);
        var expected = await spatialAlone.FeaturizeAsync(images, null, ImageView.Original);
        foreach (var image in images)
            AssertClose(expected.BySha256[image.Sha256], both[1].BySha256[image.Sha256], "the second candidate's features");
    }

    /// <summary>The shared test data root and ResNet18's pooled and spatial backbones, prepared there.</summary>
    private static async Task<(PipelineEnvironment Environment, PreparedBackbone Pooled, PreparedBackbone Spatial)> PrepareBothAsync()
    {
        var environment = PipelineEnvironment.Create(RepositoryPaths.SharedDataRoot);
        return (environment, await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18),
            await environment.Backbones.PrepareAsync(BackboneCatalog.Resnet18Spatial));
    }

    /// <summary>Real clip art written to <paramref name="folder"/>, and a feature cache of its own there.</summary>
    private static (IReadOnlyList<LabelledImage> Images, FeatureCache Cache) WriteImages(string folder, int count)
    {
        var images = ResNet18TestImages.Load(count).Select((bytes, i) =>
        {
            var path = Path.Combine(folder, $"{i}.png");
            File.WriteAllBytes(path, bytes);
            return new LabelledImage(path, "x", Convert.ToHexStringLower(SHA256.HashData(bytes)), 1, 1, "png");
        }).ToList();
        return (images, new FeatureCache(Path.Combine(folder, "features")));
    }

    private static void AssertClose(IReadOnlyList<float> expected, IReadOnlyList<float> actual, string what)
    {
        Assert.Equal(expected.Count, actual.Count);
        double difference = 0, norm = 0;
        for (var i = 0; i < expected.Count; i++)
        {
            difference += Math.Pow(expected[i] - actual[i], 2);
            norm += Math.Pow(expected[i], 2);
        }

        var relative = Math.Sqrt(difference / norm);
        Assert.True(relative < Tolerance, $"{what}: relative L2 difference {relative:E2}");
    }
}
