using System.Net;
using Pipeline.Tests.Service;

namespace Pipeline.Tests.Predict;

internal static class ServingClient
{
    /// <summary>Polls <c>/health</c> until model version 1 serves, with a deadline.</summary>
    public static Task WaitUntilServingAsync(this HttpClient client, TimeSpan timeout)
    {
        var last = "";
        return Poll.UntilAsync(async () =>
        {
            using var response = await client.GetAsync("/health");
            last = await response.Content.ReadAsStringAsync();
            return response.StatusCode == HttpStatusCode.OK && last.Contains("\"servingVersion\":1") ? last : null;
        }, timeout, "model version 1 to serve", () => $"last /health: {last}");
    }
}
