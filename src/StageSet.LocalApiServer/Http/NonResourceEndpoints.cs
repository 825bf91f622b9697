using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace StageSet.LocalApiServer.Http;

/// <summary><c>/version</c>, health, discovery and OpenAPI.</summary>
internal sealed class NonResourceEndpoints(ServerCore core)
{
    public async Task HandleAsync(HttpContext http, RequestInfo info)
    {
        var path = info.Path.TrimEnd('/');
        if (path.Length == 0)
        {
            path = "/";
        }

        if (http.Request.Method is not ("GET" or "HEAD"))
        {
            throw ApiError.FromStatus(405, "MethodNotAllowed", "the server does not allow this method on the requested resource", new JsonObject());
        }

        var registry = core.Registry.Current;
        switch (path)
        {
            case "/version":
                await Responses.WriteJsonAsync(http.Response, 200, Discovery.Version());
                return;
            case "/healthz" or "/livez" or "/readyz":
                http.Response.ContentType = "text/plain; charset=utf-8";
                await http.Response.WriteAsync("ok");
                return;
            case "/api":
                await WriteDiscoveryAsync(http, Discovery.ApiVersions(core.ServerAddress), registry, core: true);
                return;
            case "/apis":
                await WriteDiscoveryAsync(http, Discovery.GroupList(registry), registry, core: false);
                return;
            case "/openapi/v3":
                await Responses.WriteJsonAsync(http.Response, 200, OpenApi.Root(registry));
                return;
        }

        if (path.StartsWith("/openapi/v3/", StringComparison.Ordinal))
        {
            var doc = OpenApi.ForPath(registry, path["/openapi/v3/".Length..]) ?? throw ApiError.NotFoundPath();
            http.Response.Headers.ETag = "\"" + OpenApi.Hash(doc) + "\"";
            await Responses.WriteJsonAsync(http.Response, 200, doc);
            return;
        }

        if (path.StartsWith("/api/", StringComparison.Ordinal) || path.StartsWith("/apis/", StringComparison.Ordinal))
        {
            JsonObject? doc = info.Parts.Count switch
            {
                1 when path.StartsWith("/apis/", StringComparison.Ordinal) => Discovery.Group(registry, info.Parts[0]),
                1 => Discovery.ResourceList(registry, "", info.Parts[0]),
                2 when path.StartsWith("/apis/", StringComparison.Ordinal) => Discovery.ResourceList(registry, info.Parts[0], info.Parts[1]),
                _ => null,
            };
            await Responses.WriteJsonAsync(http.Response, 200, doc ?? throw ApiError.NotFoundPath());
            return;
        }

        throw ApiError.NotFoundPath();
    }

    private static async Task WriteDiscoveryAsync(HttpContext http, JsonObject legacy, Registry.RegistrySnapshot registry, bool core)
    {
        var aggregated = Discovery.AggregatedRequested(http.Request.Headers.Accept.ToString());
        http.Response.Headers.Vary = "Accept";
        if (aggregated is null)
        {
            await Responses.WriteJsonAsync(http.Response, 200, legacy);
            return;
        }

        var apiVersion = aggregated == Discovery.AggregatedV2 ? "apidiscovery.k8s.io/v2" : "apidiscovery.k8s.io/v2beta1";
        var doc = Discovery.Aggregated(registry, core, apiVersion);
        var etag = Discovery.ETag(doc);
        http.Response.Headers.ETag = etag;
        if (http.Request.Headers.IfNoneMatch.ToString() == etag)
        {
            http.Response.StatusCode = 304;
            return;
        }

        await Responses.WriteJsonAsync(http.Response, 200, doc, aggregated);
    }
}
