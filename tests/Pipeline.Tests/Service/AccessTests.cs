using System.Net;
using System.Net.Http.Headers;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Pipeline.Service.Access;
using Pipeline.Service.Hosting;
using Pipeline.Tests.Support;
using Xunit.Abstractions;

namespace Pipeline.Tests.Service;

/// <summary>
/// Who may call what. The HTTP tests host the service in the test process on real Kestrel sockets (loopback and, where
/// the machine has one, a second local address), so peers, Origin, Host and Sec-Fetch-Site are what a browser sends.
/// </summary>
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
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels",
            ("urls", $"http://127.0.0.1:0;http://{address}:0"), ("Pipeline:AdminKey", Key),
            // A deployment reached by another name than localhost lists it (host filtering, docs/SERVICE.md).
            ("AllowedHosts", $"localhost;127.0.0.1;{address}")));
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

    [Fact]
    public async Task Cross_site_requests_to_guarded_endpoints_are_refused_and_same_origin_ones_pass()
    {
        var data = new ServiceTestData("access-cross-site");
        await using var service = await InProcessService.StartAsync(data.DataRoot, ServiceTestData.Settings("RawPixels"));
        var own = service.BaseAddress.GetLeftPart(UriPartial.Authority);

        async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
        {
            var request = new HttpRequestMessage(method, path) { Content = content };
            foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
            return await service.Client.SendAsync(request);
        }

        // What a page on another site can make a browser send: a simple POST, a no-cors FormData upload, a dashboard command.
        var evil = ("Origin", "http://evil.example");
        var refused = new[]
        {
            await SendAsync(HttpMethod.Post, "/api/models/1/promote", new StringContent("x"), evil),
            await SendAsync(HttpMethod.Post, "/api/retrain", null, evil),
            await SendAsync(HttpMethod.Post, "/api/drops", new MultipartFormDataContent
            {
                { new StringContent("poison"), "label" }, { new ByteArrayContent(ServiceTestData.ProbeImages("food", 1)[0]), "files", "a.png" },
            }, evil),
            await SendAsync(HttpMethod.Post, "/hangfire/recurring/trigger", new FormUrlEncodedContent([new("jobs[]", "retrain-latest")]), evil),
            await SendAsync(HttpMethod.Post, "/api/retrain", null, ("Sec-Fetch-Site", "cross-site")),
            await SendAsync(HttpMethod.Post, "/api/retrain", null, ("Sec-Fetch-Site", "same-site")),
            await SendAsync(HttpMethod.Post, "/api/retrain", null, ("Origin", "null")),
            // Another port on this machine is another program, not this origin.
            await SendAsync(HttpMethod.Post, "/api/retrain", null, ("Origin", $"http://127.0.0.1:{service.BaseAddress.Port + 1}")),
            await SendAsync(HttpMethod.Get, "/hangfire", null, ("Sec-Fetch-Site", "cross-site")),
        };
        foreach (var response in refused)
        {
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
            Assert.Equal("Cross-site request refused", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["title"]!.GetValue<string>());
        }

        Assert.Empty((await service.Client.GetJsonAsync("/api/drops")).AsArray());

        // The service's own pages (same origin), typed addresses (none) and clients without either header pass as before.
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/api/retrain", null, ("Origin", own))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/api/retrain", null,
            ("Origin", own), ("Sec-Fetch-Site", "same-origin"))).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "/api/retrain", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/hangfire", null, ("Sec-Fetch-Site", "none"))).StatusCode);
        // Predict and reads are not guarded, from anywhere.
        using var image = new ByteArrayContent(ServiceTestData.ProbeImages("food", 1)[0]);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, (await SendAsync(HttpMethod.Post, "/api/predict", image, evil)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, "/api/models", null, evil)).StatusCode);
    }

    [Theory]
    [InlineData("127.0.0.1", "POST", "/api/retrain", null, null, true)]
    [InlineData("::1", "POST", "/api/retrain", null, null, true)]
    [InlineData("203.0.113.7", "POST", "/api/retrain", null, null, false)]
    [InlineData("203.0.113.7", "POST", "/api/retrain", "X-Api-Key", Key, true)]
    [InlineData("203.0.113.7", "POST", "/api/retrain", "X-Api-Key", "wrong", false)]
    [InlineData("203.0.113.7", "GET", "/hangfire/models", "Authorization", "Basic " + "YWRtaW46dGVzdC1hZG1pbi1rZXk=", true)] // admin:test-admin-key
    [InlineData("203.0.113.7", "GET", "/hangfire/models", "Authorization", "Basic " + "YWRtaW46bm9wZQ==", false)] // admin:nope
    // Changed on purpose: basic auth is the dashboard's only (browsers cache it and send it to every endpoint); API
    // clients send X-Api-Key.
    [InlineData("203.0.113.7", "POST", "/api/retrain", "Authorization", "Basic " + "YWRtaW46dGVzdC1hZG1pbi1rZXk=", false)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Origin", "http://evil.example", false)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Origin", "http://127.0.0.1:5000", true)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Origin", "https://127.0.0.1:5000", false)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Sec-Fetch-Site", "cross-site", false)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Sec-Fetch-Site", "same-site", false)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Sec-Fetch-Site", "same-origin", true)]
    [InlineData("127.0.0.1", "POST", "/api/retrain", "Sec-Fetch-Site", "none", true)]
    [InlineData("127.0.0.1", "POST", "/api/predict", "Origin", "http://evil.example", true)]
    [InlineData("203.0.113.7", "GET", "/api/models", null, null, true)]
    // /metrics takes what the dashboard takes: loopback, or the key (header or basic auth); never another site.
    [InlineData("127.0.0.1", "GET", "/metrics", null, null, true)]
    [InlineData("203.0.113.7", "GET", "/metrics", null, null, false)]
    [InlineData("203.0.113.7", "GET", "/metrics", "X-Api-Key", Key, true)]
    [InlineData("203.0.113.7", "GET", "/metrics", "Authorization", "Basic " + "YWRtaW46dGVzdC1hZG1pbi1rZXk=", true)] // admin:test-admin-key
    [InlineData("127.0.0.1", "GET", "/metrics", "Sec-Fetch-Site", "cross-site", false)]
    public async Task Access_decision_admits_loopback_and_the_key_and_refuses_everyone_else_and_other_sites(string remote,
        string method, string path, string? header, string? value, bool allowed)
    {
        var context = new DefaultHttpContext
        {
            Connection = { RemoteIpAddress = IPAddress.Parse(remote) },
            Request = { Method = method, Path = path, Scheme = "http", Host = new HostString("127.0.0.1", 5000) },
        };
        if (header is not null) context.Request.Headers[header] = value;
        Assert.Equal(allowed, await DecideAsync(context, Key));
    }

    [Fact]
    public async Task Without_a_configured_key_a_remote_caller_is_refused_whatever_it_sends()
    {
        var context = new DefaultHttpContext
        {
            Connection = { RemoteIpAddress = IPAddress.Parse("203.0.113.7") }, Request = { Method = "POST", Path = "/api/retrain" },
        };
        context.Request.Headers["X-Api-Key"] = "";
        Assert.False(await DecideAsync(context, key: null));
    }

    [Theory]
    [InlineData("POST", "/api/retrain", true)]
    [InlineData("POST", "/api/drops", true)]
    [InlineData("POST", "/api/models/3/promote", true)]
    [InlineData("GET", "/hangfire/progress", true)]
    [InlineData("GET", "/metrics", true)]
    [InlineData("POST", "/api/predict", false)]
    [InlineData("GET", "/api/models", false)]
    [InlineData("GET", "/health", false)]
    public void Dashboard_and_mutating_endpoints_are_guarded_and_predict_and_reads_are_not(string method, string path, bool guarded)
    {
        var context = new DefaultHttpContext { Request = { Method = method, Path = path } };
        Assert.Equal(guarded, GuardedRequests.IsGuarded(context.Request));
    }

    /// <summary>The service's own access parts (authentication handler, policy, requirements), asked as the middleware asks them.</summary>
    private static async Task<bool> DecideAsync(HttpContext context, string? key)
    {
        IServiceCollection collection = new Microsoft.Extensions.DependencyInjection.ServiceCollection();
        var services = collection.AddLogging()
            .AddSingleton(Options.Create(new PipelineOptions { AdminKey = key }))
            .AddAdminAccess()
            .BuildServiceProvider();
        context.RequestServices = services;
        var authenticated = await context.AuthenticateAsync(AdminKeyAuthenticationHandler.SchemeName);
        var user = authenticated.Principal ?? new ClaimsPrincipal(new ClaimsIdentity());
        var policy = services.GetRequiredService<IOptions<AuthorizationOptions>>().Value.FallbackPolicy!;
        return (await services.GetRequiredService<IAuthorizationService>().AuthorizeAsync(user, context, policy)).Succeeded;
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
