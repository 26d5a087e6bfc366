using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Pipeline.Tests.Drops;

namespace Pipeline.Tests.Service.Hardening;

/// <summary>
/// Requests a hostile or broken client sends, against the real service on loopback: another Host (DNS rebinding),
/// bodies that are not what they claim, bodies that stall or trickle.
/// </summary>
[Trait("Kind", "Integration")]
public class HttpHardeningTests
{
    [Fact]
    public async Task Requests_naming_a_host_outside_AllowedHosts_are_refused_so_dns_rebinding_cannot_pass_as_same_origin()
    {
        await using var service = await DropsService.StartAsync("hardening-hosts");
        int port = service.Service.BaseAddress.Port;

        foreach (var (method, path) in new[] { ("POST", "/api/retrain"), ("POST", "/api/models/1/promote"), ("POST", "/api/drops"), ("GET", "/hangfire") })
        {
            // What a page at evil.example sends once its name resolves to 127.0.0.1: to the browser it is same-origin.
            using var request = new HttpRequestMessage(new HttpMethod(method), path);
            request.Headers.Host = $"evil.example:{port}";
            request.Headers.Add("Origin", $"http://evil.example:{port}");
            request.Headers.Add("Sec-Fetch-Site", "same-origin");
            using var response = await service.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest,
                $"{method} {path} as evil.example: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }

        foreach (var host in new[] { "localhost", "127.0.0.1", "[::1]" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/hangfire");
            request.Headers.Host = $"{host}:{port}";
            using var response = await service.Client.SendAsync(request);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET /hangfire as {host}: {(int)response.StatusCode}");
        }
    }

    [Fact]
    public async Task Multipart_that_is_not_multipart_or_is_cut_before_its_end_gets_400_problem_details_on_predict_and_drops()
    {
        await using var service = await DropsService.StartAsync("hardening-multipart");
        byte[] png = DropImages.Png(1);
        byte[] cut = Encoding.ASCII.GetBytes(
                "--XYZ\r\nContent-Disposition: form-data; name=\"image\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\n")
            .Concat(png).ToArray();

        foreach (var path in new[] { "/api/predict", "/api/drops" })
        foreach (var (what, body) in new[] { ("a plain PNG body", png), ("a body cut before its closing boundary", cut) })
        {
            using var content = new ByteArrayContent(body);
            content.Headers.TryAddWithoutValidation("Content-Type", "multipart/form-data; boundary=XYZ");
            using var response = await service.Client.PostAsync(path, content);
            string text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{path} with {what}: {(int)response.StatusCode} {text}");
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("multipart", JsonNode.Parse(text)!["detail"]!.GetValue<string>());
        }

        Assert.Empty(Directory.EnumerateDirectories(Path.Combine(service.DataRoot, "intake"), ".upload-*"));
    }

    [Fact]
    public async Task Predict_body_that_stalls_below_its_content_length_gets_408_not_500()
    {
        await using var service = await DropsService.StartAsync("hardening-stall");
        using var raw = await RawHttp.ConnectAsync(service.Service.BaseAddress);

        // 531 bytes of a declared 100000, and the connection kept open: Kestrel's minimum data rate ends the read.
        await raw.SendHeadAsync(service.Service.BaseAddress, "POST", "/api/predict",
            ["Content-Type: image/png", "Content-Length: 100000"], DropImages.Png(1).Take(531).ToArray());
        var (status, text) = await raw.ReadResponseAsync(TimeSpan.FromSeconds(60));

        Assert.True(status is 408 or 400, $"expected 408 or 400, got {status}: {text}");
    }

    [Fact]
    public async Task Clients_trickling_their_bodies_do_not_hold_the_predict_slots_other_callers_need()
    {
        // One slot and no queue, so a single slow client holding a permit would refuse everyone else.
        await using var service = await DropsService.StartAsync("hardening-slow-clients", new Dictionary<string, string?>
        {
            ["Pipeline:Predict:MaxConcurrent"] = "1", ["Pipeline:Predict:QueueLimit"] = "0",
        });
        using var stop = new CancellationTokenSource();
        var slow = new List<RawHttp>();
        var trickles = new List<Task>();
        for (int i = 0; i < 4; i++)
        {
            var client = await RawHttp.ConnectAsync(service.Service.BaseAddress);
            slow.Add(client);
            await client.SendHeadAsync(service.Service.BaseAddress, "POST", "/api/predict",
                ["Content-Type: image/png", "Transfer-Encoding: chunked"]);
            // 400 B/s in chunks of 16 bytes: above Kestrel's minimum data rate (240 B/s), so nothing cuts it off.
            trickles.Add(Task.Run(async () =>
            {
                var chunk = Encoding.ASCII.GetBytes("10\r\n0123456789abcdef\r\n");
                using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(40));
                try
                {
                    while (await tick.WaitForNextTickAsync(stop.Token)) await client.SendAsync(chunk, stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or IOException)
                {
                }
            }));
        }

        try
        {
            var answers = new List<string>();
            for (int i = 0; i < 10; i++)
            {
                using var image = new ByteArrayContent(DropImages.Png(i));
                image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
                using var response = await service.Client.PostAsync("/api/predict", image);
                var title = JsonNode.Parse(await response.Content.ReadAsStringAsync())?["title"]?.GetValue<string>();
                answers.Add($"{(int)response.StatusCode} {title}");
            }

            // No model serves in this test, so a request that got its slot is answered "No model serving"; one that
            // found the slot taken by a trickling client is answered "Too many predictions at once".
            Assert.All(answers, a => Assert.Equal("503 No model serving", a));
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(trickles);
            foreach (var client in slow) client.Dispose();
        }
    }
}
