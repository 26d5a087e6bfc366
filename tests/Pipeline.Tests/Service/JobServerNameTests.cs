using Pipeline.Service.Hosting;
using Pipeline.Service.Jobs;

namespace Pipeline.Tests.Service;

/// <summary>Server names tell which process ran a job, and whether that process can still be alive.</summary>
[Trait("Kind", "Unit")]
public sealed class JobServerNameTests
{
    [Fact]
    public void A_server_id_as_Hangfire_writes_it_names_the_machine_and_process_of_its_worker()
    {
        var name = JobServerName.ForThisProcess("worker-a");
        // Hangfire appends ":<pid>:<guid>" to the server name to make the server id.
        var serverId = $"{name.Value}:{Environment.ProcessId}:{Guid.NewGuid()}";

        Assert.StartsWith("worker-a-", name.Value);
        Assert.True(name.Owns(serverId));
        Assert.False(JobServerName.ForThisProcess("worker-a").Owns(serverId));
        Assert.Equal((Environment.MachineName, Environment.ProcessId), JobServerName.ProcessOf(serverId));
        Assert.Null(JobServerName.ProcessOf("some-other-server:1234:abc"));
    }

    [Theory]
    [InlineData(null, true, true, true)]
    [InlineData("", true, true, true)]
    [InlineData("web,intake", true, false, true)]
    [InlineData(" worker ", false, true, false)]
    public void Roles_parse_from_a_comma_separated_list_and_default_to_all(string? roles, bool web, bool worker, bool intake) =>
        Assert.Equal(new ServiceRoles(web, worker, intake), ServiceRoles.Parse(roles));
}
