using System.Diagnostics;

namespace Pipeline.Service.Bench;

/// <summary>How to start this very build of the service executable as a child process (the served service, probes).</summary>
public static class ServiceExecutable
{
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var dll = typeof(ServiceExecutable).Assembly.Location;
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        return start;
    }
}
