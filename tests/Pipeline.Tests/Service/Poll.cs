using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Pipeline.Tests.Service;

/// <summary>Waits for a condition by polling with a deadline (never a bare sleep), failing with what was last seen.</summary>
internal static class Poll
{
    private static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    public static async Task<T> UntilAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string waitingFor, Func<string>? context = null)
        where T : class
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (await probe() is { } value) return value;
            if (clock.Elapsed > timeout)
                throw new TimeoutException($"Waited {timeout} for {waitingFor}.\n{context?.Invoke()}");
            using var tick = new PeriodicTimer(Interval);
            await tick.WaitForNextTickAsync();
        }
    }

    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>The retrain of a dataset version once it has reached one of <paramref name="states"/>.</summary>
    public static Task<JsonNode> RetrainAsync(HttpClient client, int datasetVersion, TimeSpan timeout, Func<string> context,
        params string[] states) =>
        UntilAsync(async () =>
        {
            using var response = await client.GetAsync($"/api/jobs/dataset-{datasetVersion:D6}");
            if (!response.IsSuccessStatusCode) return null;
            var retrain = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
            var state = retrain["state"]!.GetValue<string>();
            if (state == "Failed" && !states.Contains("Failed"))
                throw new InvalidOperationException($"Retrain of dataset version {datasetVersion} failed: {retrain}\n{context()}");
            return states.Contains(state) ? retrain : null;
        }, timeout, $"retrain of dataset version {datasetVersion} to reach {string.Join("/", states)}", context);
}
