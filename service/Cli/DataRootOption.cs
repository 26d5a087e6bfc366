using System.CommandLine;

namespace Pipeline.Service.Cli;

/// <summary>
/// <c>--data-root</c>, common to every verb of the service executable and of the bench tool: where prepared backbones
/// and the feature cache live. Defaults to the service's own setting, so a CLI run reuses what the service prepared.
/// </summary>
public static class DataRootOption
{
    public static Option<string> Create() => new("--data-root")
    {
        Description = "Data root holding backbones/ and features/ (default: Pipeline__DataRoot or ./data)",
        Recursive = true,
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("Pipeline__DataRoot") is { Length: > 0 } fromEnv
            ? fromEnv
            : "data",
    };
}
