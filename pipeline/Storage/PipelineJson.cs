using System.Text.Json;
using System.Text.Json.Serialization;

namespace Pipeline.Storage;

/// <summary>The one JSON shape of every file the pipeline writes: camelCase, indented, enums as names.</summary>
public static class PipelineJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };
}
