using Hangfire.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using LogLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Pipeline.Service.Jobs;

/// <summary>
/// Hangfire's logging into the host's <see cref="ILoggerFactory"/>, like Hangfire.NetCore's own provider, except that a
/// disposed factory gives loggers that drop their messages instead of throwing.
/// </summary>
/// <remarks>
/// Hangfire keeps its log provider in a process-wide static, and asks it for loggers lazily: the first
/// <c>Enqueue</c> of a job method builds that method's <c>AutomaticRetryAttribute</c>, whose constructor asks for one.
/// With Hangfire.NetCore's provider, the factory of whichever host configured Hangfire last answers; once that host is
/// disposed (a second host in the same process, as in-process tests run them, or a host shutting down) the call throws
/// <see cref="ObjectDisposedException"/> and the enqueue fails. A candidate's evaluation was lost that way.
/// </remarks>
public sealed class HangfireLogProvider(ILoggerFactory factory) : ILogProvider
{
    public ILog GetLogger(string name)
    {
        try
        {
            return new Forwarding(factory.CreateLogger(name));
        }
        catch (ObjectDisposedException)
        {
            return Dropped.Instance;
        }
    }

    private sealed class Forwarding(ILogger logger) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var level = ToLevel(logLevel);
            try
            {
                // Hangfire asks whether a level is on by passing no message.
                if (messageFunc is null) return logger.IsEnabled(level);
                if (!logger.IsEnabled(level)) return false;
                logger.Log(level, 0, messageFunc(), exception, static (message, _) => message);
                return true;
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
        }

        private static LogLevel ToLevel(HangfireLevel level) => level switch
        {
            HangfireLevel.Trace => LogLevel.Trace,
            HangfireLevel.Debug => LogLevel.Debug,
            HangfireLevel.Info => LogLevel.Information,
            HangfireLevel.Warn => LogLevel.Warning,
            HangfireLevel.Error => LogLevel.Error,
            _ => LogLevel.Critical,
        };
    }

    private sealed class Dropped : ILog
    {
        public static readonly Dropped Instance = new();

        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null) => false;
    }
}
