using Hangfire;
using Hangfire.Logging;
using Microsoft.Extensions.DependencyInjection;
using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// Hangfire keeps its log provider process-wide, so a host that is disposed while another runs in the same process (as
/// in-process tests run them) must not break the other's logging or its enqueues: the first enqueue of a job method
/// asks for a logger (its retry attribute's), and an evaluation was once lost to an <see cref="ObjectDisposedException"/>.
/// </summary>
[Trait("Kind", "Integration")]
public sealed class HangfireLoggingTests
{
    [Fact]
    public async Task A_disposed_host_leaves_the_running_host_able_to_log_and_enqueue_a_job_method_never_enqueued_before()
    {
        await using var running = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("hangfire-log-running"));
        var disposed = await InProcessService.StartAsync(RepositoryPaths.NewTempFolder("hangfire-log-disposed"));
        await disposed.DisposeAsync();

        LogProvider.GetLogger("probe").Log(LogLevel.Info, () => "after the other host was disposed");
        var jobId = running.Services.GetRequiredService<IBackgroundJobClient>().Enqueue(() => FirstEnqueuedHere.Run());

        Assert.False(string.IsNullOrEmpty(jobId));
    }

    /// <summary>A job method nothing else enqueues, so Hangfire reads its filter attributes (and asks for a logger) here.</summary>
    public static class FirstEnqueuedHere
    {
        [AutomaticRetry(Attempts = 0)]
        public static void Run()
        {
        }
    }
}
