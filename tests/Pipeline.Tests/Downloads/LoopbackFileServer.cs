using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Net.Http.Headers;

namespace Pipeline.Tests.Downloads;

/// <summary>
/// A real Kestrel server on 127.0.0.1 and an ephemeral port that serves one file, records every request it sees,
/// and misbehaves as its <see cref="ServerScript"/> says.
/// </summary>
internal sealed class LoopbackFileServer : IAsyncDisposable
{
    // How long a scripted hold may last: a failing test ends with a clear timeout instead of hanging.
    private static readonly TimeSpan HoldDeadline = TimeSpan.FromSeconds(20);

    private readonly byte[] _content;
    private readonly ServerScript _script;
    private readonly ConcurrentQueue<ServedRequest> _requests = new();
    private readonly TaskCompletionSource _stopping = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;
    private int _responsesStarted;

    private LoopbackFileServer(byte[] content, ServerScript script)
    {
        _content = content;
        _script = script;
    }

    public Uri FileUrl { get; private set; } = null!;

    /// <summary>Every request so far, in arrival order.</summary>
    public IReadOnlyList<ServedRequest> Requests => _requests.ToList();

    /// <summary>Bytes the first response sends when it is scripted to break halfway.</summary>
    public int HalfwayBytes => _content.Length / 2;

    public static async Task<LoopbackFileServer> StartAsync(byte[] content, ServerScript? script = null)
    {
        var server = new LoopbackFileServer(content, script ?? new ServerScript());
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.Run(server.ServeAsync);
        await app.StartAsync();
        server._app = app;

        var address = app.Services.GetRequiredService<IServer>().Features
            .GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        server.FileUrl = new Uri(new Uri(address), "/files/model.onnx");
        return server;
    }

    private async Task ServeAsync(HttpContext context)
    {
        var rangeHeader = context.Request.Headers.Range.ToString();
        var range = rangeHeader.Length == 0 ? null : rangeHeader;

        if (_script.Missing || context.Request.Path != FileUrl.AbsolutePath)
        {
            Record(range, StatusCodes.Status404NotFound);
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        long start = 0;
        if (_script.HonoursRange && RangeHeaderValue.TryParse(rangeHeader, out var parsed)
            && parsed.Ranges.Single().From is { } from)
        {
            if (from >= _content.Length)
            {
                Record(range, StatusCodes.Status416RangeNotSatisfiable);
                context.Response.StatusCode = StatusCodes.Status416RangeNotSatisfiable;
                context.Response.Headers.ContentRange = new ContentRangeHeaderValue(_content.Length).ToString();
                return;
            }

            start = from;
            Record(range, StatusCodes.Status206PartialContent);
            context.Response.StatusCode = StatusCodes.Status206PartialContent;
            context.Response.Headers.ContentRange =
                new ContentRangeHeaderValue(start, _content.Length - 1, _content.Length).ToString();
        }
        else
        {
            Record(range, StatusCodes.Status200OK);
            context.Response.StatusCode = StatusCodes.Status200OK;
        }

        var body = _content.AsMemory((int)start);
        context.Response.ContentLength = body.Length;
        context.Response.ContentType = "application/octet-stream";

        var isFirst = Interlocked.Increment(ref _responsesStarted) == 1;
        if (isFirst && _script.BreakFirstResponseHalfwayAfter is { } release)
        {
            await context.Response.Body.WriteAsync(body[..HalfwayBytes]);
            await context.Response.Body.FlushAsync();
            var clientGone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using var _ = context.RequestAborted.Register(() => clientGone.TrySetResult());
            // Kestrel may take a heartbeat or two to notice a client that left; stopping the server ends the hold too.
            await Task.WhenAny(release, clientGone.Task, _stopping.Task).WaitAsync(HoldDeadline);
            context.Abort();
            return;
        }

        await context.Response.Body.WriteAsync(body);
    }

    private void Record(string? range, int status) => _requests.Enqueue(new ServedRequest(range, status));

    public async ValueTask DisposeAsync()
    {
        if (_app is null) return;
        _stopping.TrySetResult();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

/// <summary>What the server saw and answered: the raw Range header (null when absent) and the status code.</summary>
internal sealed record ServedRequest(string? Range, int Status);
