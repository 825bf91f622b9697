using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace StageSet.LocalApiServer.ArtifactStorage;

/// <summary>A published artifact: where to fetch it and what its bytes hash to.</summary>
public sealed record PublishedArtifact(string Url, string Digest, string Path, long Size)
{
    /// <summary>
    /// The status a Flux source carries for this artifact at <paramref name="revision"/>: <c>artifact</c> plus a
    /// Ready=True condition, as source-controller writes it.
    /// </summary>
    public JsonObject SourceStatus(string revision)
    {
        var now = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject
        {
            ["artifact"] = new JsonObject
            {
                ["url"] = Url,
                ["digest"] = Digest,
                ["revision"] = revision,
                ["path"] = Path,
                ["lastUpdateTime"] = now,
                ["size"] = Size,
            },
            ["conditions"] = new JsonArray(new JsonObject
            {
                ["type"] = "Ready",
                ["status"] = "True",
                ["reason"] = "Succeeded",
                ["message"] = "stored artifact for revision " + revision,
                ["lastTransitionTime"] = now,
            }),
        };
    }
}

/// <summary>
/// A real HTTP server on loopback serving tarballs built by tests, like source-controller's artifact storage.
/// Counts downloads per path so tests can assert that a steady state does not fetch again.
/// </summary>
public sealed class ArtifactServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, byte[]> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _downloads = new(StringComparer.Ordinal);

    private ArtifactServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public static async Task<ArtifactServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        var app = builder.Build();
        ArtifactServer? server = null;
        app.Run(ctx => server!.ServeAsync(ctx));
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new ArtifactServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>Serves <paramref name="tarball"/> at <c>/artifacts/{path}</c>.</summary>
    public PublishedArtifact Publish(string path, Tarball tarball)
    {
        _files[path] = tarball.Bytes;
        return new PublishedArtifact(new Uri(BaseUrl, "artifacts/" + path).ToString(), tarball.Digest, path, tarball.Bytes.Length);
    }

    public int Downloads(string path) => _downloads.GetValueOrDefault(path);

    public int TotalDownloads => _downloads.Values.Sum();

    private async Task ServeAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "";
        const string prefix = "/artifacts/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal) || !_files.TryGetValue(path[prefix.Length..], out var bytes))
        {
            ctx.Response.StatusCode = 404;
            return;
        }

        _downloads.AddOrUpdate(path[prefix.Length..], 1, (_, n) => n + 1);
        ctx.Response.ContentType = "application/gzip";
        ctx.Response.ContentLength = bytes.Length;
        await ctx.Response.Body.WriteAsync(bytes).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
