using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StageSet.Controller.Hosting;

/// <summary>A small Kestrel listener (metrics, probes, gate) on a Go-style bind address such as <c>:8080</c>.</summary>
public sealed class HttpListenerHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private HttpListenerHost(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>The bound address (with the real port when 0 was asked for).</summary>
    public Uri Address { get; }

    public static async Task<HttpListenerHost> StartAsync(string bindAddress, RequestDelegate handler,
        ILoggerFactory loggerFactory, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.ConfigureKestrel(k => Listen(k, bindAddress));
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync(ct).ConfigureAwait(false);
        var bound = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1";
        return new HttpListenerHost(app, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)
            .Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)));
    }

    private static void Listen(Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions k, string bindAddress)
    {
        var colon = bindAddress.LastIndexOf(':');
        var host = colon < 0 ? "" : bindAddress[..colon].Trim('[', ']');
        var port = int.Parse(bindAddress[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture);
        if (host.Length == 0)
        {
            k.ListenAnyIP(port);
        }
        else if (host == "localhost")
        {
            k.ListenLocalhost(port);
        }
        else
        {
            k.Listen(IPAddress.Parse(host), port);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
