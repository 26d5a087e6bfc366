using Pipeline.Progress;
using Spectre.Console;

namespace Pipeline.Service.Cli;

/// <summary>
/// Renders pipeline progress on the terminal: a live bar per stage on an interactive console, plain throttled lines
/// when output is redirected (logs, CI), so both stay readable.
/// </summary>
internal static class ConsoleProgress
{
    public static async Task<T> RunAsync<T>(Func<IProgress<ProgressUpdate>, Task<T>> work)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return await work(new PlainLines());

        T result = default!;
        await AnsiConsole.Progress()
            .AutoClear(false)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(),
                new RemainingTimeColumn(), new SpinnerColumn())
            .StartAsync(async context => result = await work(new Bars(context)));
        return result;
    }

    private sealed class Bars(ProgressContext context) : IProgress<ProgressUpdate>
    {
        private readonly Dictionary<string, ProgressTask> _tasks = new();
        private readonly Lock _gate = new();

        public void Report(ProgressUpdate value)
        {
            lock (_gate)
            {
                var name = $"{value.Stage} {value.Detail}".Trim();
                if (!_tasks.TryGetValue(name, out var task))
                    _tasks[name] = task = context.AddTask(Markup.Escape(name), maxValue: Math.Max(1, value.Total));
                task.MaxValue = Math.Max(1, value.Total);
                task.Value = value.Done;
            }
        }
    }

    /// <summary>One line per stage change and per tenth of progress, on standard error so stdout stays data.</summary>
    private sealed class PlainLines : IProgress<ProgressUpdate>
    {
        private readonly Dictionary<string, int> _lastDecile = new();
        private readonly Lock _gate = new();

        public void Report(ProgressUpdate value)
        {
            lock (_gate)
            {
                var name = $"{value.Stage} {value.Detail}".Trim();
                var decile = (int)(value.Fraction * 10);
                if (_lastDecile.TryGetValue(name, out var last) && last == decile) return;
                _lastDecile[name] = decile;
                Console.Error.WriteLine($"{name}: {value.Done}/{value.Total} ({value.Fraction:P0})");
            }
        }
    }
}
