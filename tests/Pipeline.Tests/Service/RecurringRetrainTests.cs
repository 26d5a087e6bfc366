using Pipeline.Tests.Support;

namespace Pipeline.Tests.Service;

/// <summary>
/// The recurring retrain as Hangfire runs it, with the service hosted in the test process (no kill here). Still in the
/// serial collection: it trains, and its deadlines assume no other retrain shares the two cores.
/// </summary>
[Collection(ServiceTrainingCollection.Name)]
[Trait("Kind", "Integration")]
public sealed class RecurringRetrainTests
{
    [Fact]
    public async Task Retrain_cron_registers_a_recurring_job_that_runs_and_retrains_nothing_already_retrained()
    {
        var data = new ServiceTestData("cron");
        await data.CommitAsync(["animals", "food"], 16, "test:first");
        // Hangfire accepts six-part cron expressions with seconds; every two seconds keeps the test short.
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels",
            ("Pipeline:RetrainCron", "*/2 * * * * *")));
        var first = await Poll.RetrainAsync(service.Client, 1, TimeSpan.FromMinutes(5), () => service.Output, "Completed");

        var recurring = await service.Client.GetStringAsync("/hangfire/recurring");
        Assert.Contains("retrain-latest", recurring);
        await Poll.UntilAsync(async () =>
        {
            var succeeded = await service.Client.GetStringAsync("/hangfire/jobs/succeeded");
            return succeeded.Contains("Scheduled retrain check") ? succeeded : null;
        }, TimeSpan.FromMinutes(1), "a run of the recurring retrain job", () => service.Output);

        // It found the latest version already retrained: the same record, untouched.
        var after = await service.Client.GetJsonAsync("/api/jobs/dataset-000001");
        Assert.Equal(first["updatedUtc"]!.GetValue<string>(), after["updatedUtc"]!.GetValue<string>());
        Assert.Single((await service.Client.GetJsonAsync("/api/models/decisions")).AsArray());
    }
}
