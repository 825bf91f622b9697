using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace StageSet.Artifacts.Tests;

/// <summary>A real Kestrel server on loopback; each path answers with a handler the test installs.</summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, RequestDelegate> _routes = new();
    private readonly ConcurrentDictionary<string, int> _hits = new();

    private ArtifactServer(WebApplication app) => _app = app;

    public int Port { get; private set; }

    public string Url(string path) => $"http://127.0.0.1:{Port}{path}";

    public int Hits(string path) => _hits.GetValueOrDefault(path);

    public static async Task<ArtifactServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new ArtifactServer(app);
        app.Run(async ctx =>
        {
            var path = ctx.Request.Path.Value ?? "/";
            server._hits.AddOrUpdate(path, 1, (_, n) => n + 1);
            if (server._routes.TryGetValue(path, out var handler))
            {
                await handler(ctx);
            }
            else
            {
                ctx.Response.StatusCode = 404;
            }
        });
        await app.StartAsync();
        server.Port = new Uri(app.Urls.First()).Port;
        return server;
    }

    public void Serve(string path, byte[] body) => _routes[path] = async ctx =>
    {
        ctx.Response.ContentType = "application/gzip";
        ctx.Response.ContentLength = body.Length;

        // In slices: one big write would make Kestrel hold the whole body in its output pipe, and the memory bound
        // tests count this process's allocations, the server's included.
        for (var at = 0; at < body.Length; at += 64 * 1024)
        {
            await ctx.Response.Body.WriteAsync(body.AsMemory(at, Math.Min(64 * 1024, body.Length - at)));
        }
    };

    public void Status(string path, int code) => _routes[path] = ctx =>
    {
        ctx.Response.StatusCode = code;
        return Task.CompletedTask;
    };

    public void Redirect(string path, string location, int code = 302) => _routes[path] = ctx =>
    {
        ctx.Response.StatusCode = code;
        ctx.Response.Headers.Location = location;
        return Task.CompletedTask;
    };

    public void Handle(string path, RequestDelegate handler) => _routes[path] = handler;

    public async ValueTask DisposeAsync()
    {
        // Abort in-flight requests (stalled handlers) instead of waiting out a graceful shutdown.
        await _app.StopAsync(new CancellationToken(canceled: true));
        await _app.DisposeAsync();
    }
}
