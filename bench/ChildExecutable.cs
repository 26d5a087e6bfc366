using System.Diagnostics;

namespace Pipeline.Bench;

/// <summary>
/// How to start an executable of this very build as a child process: the service (served and measured from outside)
/// or the bench itself (the memory probe, so that nothing the bench holds is counted).
/// </summary>
/// <remarks>
/// The bench project references the service project, so the build copies <c>Pipeline.Service.dll</c> with its
/// runtimeconfig and deps files next to the bench: the service measured is always the one built with it.
/// </remarks>
public static class ChildExecutable
{
    public static ProcessStartInfo Service(IEnumerable<string> arguments) =>
        StartInfo(Path.Combine(AppContext.BaseDirectory, "Pipeline.Service.dll"), arguments);

    public static ProcessStartInfo Bench(IEnumerable<string> arguments) =>
        StartInfo(typeof(ChildExecutable).Assembly.Location, arguments);

    private static ProcessStartInfo StartInfo(string dll, IEnumerable<string> arguments)
    {
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
