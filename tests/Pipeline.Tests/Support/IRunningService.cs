namespace Pipeline.Tests.Support;

/// <summary>
/// A started service as a test talks to it: a child process (<see cref="ServiceProcess"/>) where the process is the
/// point, or the same composition in the test process (<see cref="InProcessService"/>) where only its HTTP contract is.
/// </summary>
internal interface IRunningService : IAsyncDisposable
{
    string DataRoot { get; }
    Uri BaseAddress { get; }
    HttpClient Client { get; }

    /// <summary>Whether the service stopped (a process that exited, a host that shut down).</summary>
    bool HasExited { get; }

    /// <summary>Everything the service printed or logged so far, for waits and failure messages.</summary>
    string Output { get; }
}
