using Microsoft.AspNetCore.Connections;

namespace Pipeline.Service.Hosting;

/// <summary>
/// Runs the web host and turns the one start-up failure a user commonly causes, an address already in use, into one
/// line on standard error and a non-zero exit code instead of an unhandled-exception dump.
/// </summary>
public static class ListeningFailure
{
    /// <summary>Exit code when a listening address is taken.</summary>
    public const int AddressInUseExitCode = 3;

    public static async Task<int> RunOrExplainAsync(this WebApplication app)
    {
        try
        {
            await app.RunAsync();
            return 0;
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            await Console.Error.WriteLineAsync(
                $"Cannot start: {e.Message} Stop the other process or choose another address with --urls.");
            return AddressInUseExitCode;
        }
    }
}
