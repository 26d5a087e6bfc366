using System.Diagnostics;
using System.Net;

namespace Pipeline.Tests.Predict;

internal static class ServingClient
{
    /// <summary>Polls <c>/health</c> until a model serves, with a deadline.</summary>
    public static async Task WaitUntilServingAsync(this HttpClient client, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        string last = "";
        while (clock.Elapsed < timeout)
        {
            using var response = await client.GetAsync("/health");
            last = await response.Content.ReadAsStringAsync();
            if (response.StatusCode == HttpStatusCode.OK && last.Contains("\"servingVersion\":1")) return;
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            await tick.WaitForNextTickAsync();
        }

        throw new TimeoutException($"No model served within {timeout}; last /health: {last}");
    }
}
