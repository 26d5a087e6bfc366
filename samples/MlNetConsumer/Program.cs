// Classifies images with a model exported by `export --format mlnet`: one line per image, tab-separated:
// path, predicted label, its probability.
using Microsoft.ML;
using MlNetConsumer;

if (args.Length < 2)
{
    Console.Error.WriteLine("usage: dotnet run --project samples/MlNetConsumer -- MODEL.zip IMAGE [IMAGE...]");
    return 2;
}

var ml = new MLContext();
var model = ml.Model.Load(args[0], out _);
// A PredictionEngine is not thread-safe; one is enough for this loop.
var engine = ml.Model.CreatePredictionEngine<ImageInput, ImagePrediction>(model);
var failures = 0;
foreach (var path in args[1..])
{
    if (!File.Exists(path))
    {
        Console.Error.WriteLine($"error: no such image file: {path}");
        failures++;
        continue;
    }

    var prediction = engine.Predict(new ImageInput { ImagePath = Path.GetFullPath(path) });
    Console.WriteLine($"{path}\t{prediction.PredictedLabel}\t{prediction.Score.Max():0.######}");
}

return failures == 0 ? 0 : 1;
