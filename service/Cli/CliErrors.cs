namespace Pipeline.Service.Cli;

/// <summary>Turns expected failures into one line on standard error and a non-zero exit code.</summary>
internal static class CliErrors
{
    public const int UserError = 1;

    public static async Task<int> GuardAsync(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (PipelineException e)
        {
            await Console.Error.WriteLineAsync($"error: {e.Message}");
            return UserError;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return 130;
        }
    }
}
