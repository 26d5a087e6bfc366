using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Pipeline.Service.Access;
using Pipeline.Service.Hosting;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

[Collection(ServiceCollection.Name)]
[Trait("Kind", "Integration")]
public sealed partial class AccessTests(ITestOutputHelper output)
{
    private const string Key = "test-admin-key";

    [Fact]
    public async Task Caller_from_another_address_needs_the_admin_key_for_the_dashboard_and_mutating_endpoints()
    {
        if (NonLoopbackAddress() is not { } address)
        {
            // Without a second local address no request can arrive from a non-loopback peer; the decision logic is
            // still covered by Access_decision_admits_loopback_and_the_key_and_refuses_everyone_else.
            output.WriteLine("no non-loopback IPv4 address on this machine; the network half of this test did not run");
            return;
        }

        var data = new ServiceTestData("access");
        await using var service = await ServiceProcess.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels",
            ("urls", $"http://127.0.0.1:0;http://{address}:0"), ("Pipeline:AdminKey", Key)));
        var remoteBase = await Poll.UntilAsync(() => Task.FromResult(ListeningOn().Matches(service.Output)
                .Select(m => m.Groups[1].Value).FirstOrDefault(u => !u.Contains("127.0.0.1"))),
            TimeSpan.FromSeconds(30), "the second listening address", () => service.Output);
        using var remote = new HttpClient { BaseAddress = new Uri(remoteBase) };

        foreach (var (method, path) in new[] { ("POST", "/api/retrain"), ("POST", "/api/models/1/promote"), ("POST", "/api/drops"), ("GET", "/hangfire"), ("GET", "/hangfire/progress") })
        {
            using var refused = await remote.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
            Assert.Equal("Local access only", JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
        }

        // Reading and predicting stay open to everyone.
        Assert.Equal(HttpStatusCode.OK, (await remote.GetAsync("/api/models")).StatusCode);
        using (var predict = new ByteArrayContent(ServiceTestData.ProbeImages("food", 1)[0]))
        {
            predict.Headers.ContentType = new MediaTypeHeaderValue("image/png");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, (await remote.PostAsync("/api/predict", predict)).StatusCode);
        }

        // With the key (header or basic-auth password) the remote caller gets the real answers.
        using var withHeader = new HttpRequestMessage(HttpMethod.Post, "/api/retrain") { Headers = { { "X-Api-Key", Key } } };
        Assert.Equal(HttpStatusCode.Conflict, (await remote.SendAsync(withHeader)).StatusCode); // nothing to train yet
        using var withBasic = new HttpRequestMessage(HttpMethod.Get, "/hangfire/models");
        withBasic.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{Key}")));
        Assert.Equal(HttpStatusCode.OK, (await remote.SendAsync(withBasic)).StatusCode);
        using var wrongKey = new HttpRequestMessage(HttpMethod.Post, "/api/retrain") { Headers = { { "X-Api-Key", "guess" } } };
        Assert.Equal(HttpStatusCode.Forbidden, (await remote.SendAsync(wrongKey)).StatusCode);

        // Loopback needs no key.
        Assert.Equal(HttpStatusCode.Conflict, (await service.Client.PostAsync("/api/retrain", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await service.Client.GetAsync("/hangfire")).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", null, null, true)]
    [InlineData("::1", null, null, true)]
    [InlineData("203.0.113.7", null, null, false)]
    [InlineData("203.0.113.7", "X-Api-Key", Key, true)]
    [InlineData("203.0.113.7", "X-Api-Key", "wrong", false)]
    [InlineData("203.0.113.7", "Authorization", "Basic " + "YWRtaW46dGVzdC1hZG1pbi1rZXk=", true)] // admin:test-admin-key
    [InlineData("203.0.113.7", "Authorization", "Basic " + "YWRtaW46bm9wZQ==", false)] // admin:nope
    public void Access_decision_admits_loopback_and_the_key_and_refuses_everyone_else(string remote, string? header, string? value,
        bool allowed)
    {
        var access = new AdminAccess(Options.Create(new PipelineOptions { AdminKey = Key }));
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse(remote) } };
        if (header is not null) context.Request.Headers[header] = value;
        Assert.Equal(allowed, access.IsAllowed(context));
    }

    [Fact]
    public void Without_a_configured_key_a_remote_caller_is_refused_whatever_it_sends()
    {
        var access = new AdminAccess(Options.Create(new PipelineOptions { AdminKey = null }));
        var context = new DefaultHttpContext { Connection = { RemoteIpAddress = IPAddress.Parse("203.0.113.7") } };
        context.Request.Headers["X-Api-Key"] = "";
        Assert.False(access.IsAllowed(context));
    }

    [Theory]
    [InlineData("POST", "/api/retrain", true)]
    [InlineData("POST", "/api/drops", true)]
    [InlineData("POST", "/api/models/3/promote", true)]
    [InlineData("GET", "/hangfire/progress", true)]
    [InlineData("POST", "/api/predict", false)]
    [InlineData("GET", "/api/models", false)]
    [InlineData("GET", "/health", false)]
    public void Dashboard_and_mutating_endpoints_are_guarded_and_predict_and_reads_are_not(string method, string path, bool guarded)
    {
        var context = new DefaultHttpContext { Request = { Method = method, Path = path } };
        Assert.Equal(guarded, AdminAccessMiddleware.IsGuarded(context.Request));
    }

    private static string? NonLoopbackAddress() =>
        NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?.ToString();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex ListeningOn();
}
