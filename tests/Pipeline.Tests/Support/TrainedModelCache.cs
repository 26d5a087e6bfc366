using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Pipeline.Retraining;
using Pipeline.Training;

namespace Pipeline.Tests.Support;

/// <summary>
/// Trained models that fixtures only read, built once and kept under <c>artifacts/test-data/trained-models/&lt;key&gt;</c>,
/// so that a fixture needing "a trained model" does not train again in every run (MobileNetV2 features of a fresh
/// clone need a TensorFlow.js conversion first; every backbone needs its features computed).
/// </summary>
/// <remarks>
/// The key is everything the model depends on: the candidate, the retrain options (seed, split, head), the bytes of every image of the data
/// folder with its relative path, and the bytes of the pipeline assembly with the versions of ML.NET and ONNX Runtime.
/// Any change to the training code rebuilds the assembly and so misses the cache: a cached model is always the one this
/// build would train. A model is trained into a folder of its own and renamed into place once complete, so a second test
/// process (or a crash half way) never sees a partial one; a rename that loses the race keeps the winner's model.
/// Users copy or link what they need (the registry links the backbone .onnx and copies the rest) and never write into
/// the returned folder.
/// </remarks>
internal static class TrainedModelCache
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<string>>> InThisRun = new();

    private static string CacheRoot => Path.Combine(RepositoryPaths.SharedDataRoot, "trained-models");

    /// <summary>The folder of <paramref name="candidate"/> trained on <paramref name="plan"/>, training it if no complete one is cached.</summary>
    public static Task<string> GetAsync(Retrainer retrainer, string candidate, TrainingPlan plan, string dataFolder)
    {
        var key = KeyOf(candidate, retrainer.Options, dataFolder);
        return InThisRun.GetOrAdd(key, _ => new Lazy<Task<string>>(() => BuildAsync(retrainer, candidate, plan, key))).Value;
    }

    private static async Task<string> BuildAsync(Retrainer retrainer, string candidate, TrainingPlan plan, string key)
    {
        var folder = Path.Combine(CacheRoot, key);
        if (Directory.Exists(folder)) return folder;
        Directory.CreateDirectory(CacheRoot);
        var building = Path.Combine(CacheRoot, $".building-{key}-{Guid.NewGuid():N}");
        try
        {
            await retrainer.TrainCandidateAsync(candidate, plan, building);
            Directory.Move(building, folder);
        }
        catch (IOException) when (Directory.Exists(folder))
        {
            // Another test process finished the same model first; its copy is complete and identical in content.
        }
        finally
        {
            if (Directory.Exists(building)) Directory.Delete(building, recursive: true);
        }

        return folder;
    }

    private static string KeyOf(string candidate, RetrainOptions options, string dataFolder)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string text) => hash.AppendData(Encoding.UTF8.GetBytes(text + "\n"));

        Add(candidate);
        Add(System.Text.Json.JsonSerializer.Serialize(options));
        Add(typeof(Microsoft.ML.MLContext).Assembly.FullName!);
        Add(typeof(Microsoft.ML.OnnxRuntime.InferenceSession).Assembly.FullName!);
        hash.AppendData(File.ReadAllBytes(typeof(Retrainer).Assembly.Location));
        foreach (var file in Directory.EnumerateFiles(dataFolder, "*", SearchOption.AllDirectories)
                     .Select(f => Path.GetRelativePath(dataFolder, f).Replace('\\', '/'))
                     .Order(StringComparer.Ordinal))
        {
            Add(file);
            hash.AppendData(File.ReadAllBytes(Path.Combine(dataFolder, file)));
        }

        // The candidate's name first keeps the folder recognisable ("MobilenetV2-3f2a...").
        var safeName = string.Concat(candidate.Select(c => char.IsLetterOrDigit(c) ? c : '_'));
        return $"{safeName}-{Convert.ToHexString(hash.GetHashAndReset())[..16].ToLowerInvariant()}";
    }
}
