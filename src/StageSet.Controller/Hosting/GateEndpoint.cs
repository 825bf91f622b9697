using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace StageSet.Controller.Hosting;

/// <summary>An HTTP answer, independent of the server that sends it.</summary>
public sealed record EndpointResponse(int StatusCode, string ContentType, string Body)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    public static EndpointResponse Text(int code, string body) => new(code, "text/plain; charset=utf-8", body);

    public async Task WriteAsync(HttpResponse response)
    {
        response.StatusCode = StatusCode;
        response.ContentType = ContentType;
        foreach (var (k, v) in Headers)
        {
            response.Headers[k] = v;
        }

        await response.WriteAsync(Body).ConfigureAwait(false);
    }
}

/// <summary>
/// <c>GET /gate/{namespace}/{stageset}/{stage}</c>: 200 when the stage's status phase is Ready, else 403 (Flagger
/// webhook gate); JSON with <c>Accept: application/json</c>. Reads StageSets through the controller's cache.
/// </summary>
public static class GateEndpoint
{
    private const string BadPath = "expected /gate/{namespace}/{stageset}/{stage}";

    /// <param name="lookup">Returns the cached StageSet or null; may throw, which counts as "not gateable".</param>
    public static EndpointResponse Handle(string method, string path, string? accept,
        Func<string, string, JsonObject?> lookup)
    {
        try
        {
            return Evaluate(method, path, accept, lookup);
        }
#pragma warning disable CA1031 // The spec maps any internal failure to a plain 500.
        catch (Exception)
#pragma warning restore CA1031
        {
            return EndpointResponse.Text(500, "internal error");
        }
    }

    private static EndpointResponse Evaluate(string method, string path, string? accept,
        Func<string, string, JsonObject?> lookup)
    {
        if (!string.Equals(method, "GET", StringComparison.Ordinal))
        {
            return EndpointResponse.Text(405, "method not allowed") with
            {
                Headers = new Dictionary<string, string> { ["Allow"] = "GET" },
            };
        }

        if (!path.StartsWith("/gate/", StringComparison.Ordinal))
        {
            return EndpointResponse.Text(400, BadPath);
        }

        var segments = path["/gate/".Length..].Trim('/').Split('/');
        if (segments.Length != 3 || segments.Any(s => s.Length == 0))
        {
            return EndpointResponse.Text(400, BadPath);
        }

        var (ns, name, stage) = (segments[0], segments[1], segments[2]);
        var json = accept?.Contains("application/json", StringComparison.OrdinalIgnoreCase) == true;

        JsonObject? stageSet;
        try
        {
            stageSet = lookup(ns, name);
        }
#pragma warning disable CA1031 // Any read failure (NotFound, RBAC, cache) means "not gateable".
        catch (Exception)
#pragma warning restore CA1031
        {
            stageSet = null;
        }

        if (stageSet is null)
        {
            return json
                ? Json(false, ns, name, stage, null, null)
                : EndpointResponse.Text(403, "stageset " + ns + "/" + name + " is not gateable\n");
        }

        var entry = (stageSet["status"]?["stages"] as JsonArray ?? []).OfType<JsonObject>()
            .FirstOrDefault(s => Str(s, "name") == stage);
        if (entry is null)
        {
            return json
                ? Json(false, ns, name, stage, null, null)
                : EndpointResponse.Text(403, "stage \"" + stage + "\" not found in stageset " + ns + "/" + name + "\n");
        }

        var phase = Str(entry, "phase");
        var revision = Str(entry, "appliedRevision");
        var ready = phase == "Ready";
        if (json)
        {
            return Json(ready, ns, name, stage, phase, revision);
        }

        return ready
            ? EndpointResponse.Text(200, "stage \"" + stage + "\" is Ready at " + revision + "\n")
            : EndpointResponse.Text(403, "stage \"" + stage + "\" is not Ready (phase=" + phase + ")\n");
    }

    private static EndpointResponse Json(bool ready, string ns, string name, string stage, string? phase, string? revision)
    {
        var body = new JsonObject
        {
            ["ready"] = ready,
            ["namespace"] = ns,
            ["stageset"] = name,
            ["stage"] = stage,
        };
        if (!string.IsNullOrEmpty(phase))
        {
            body["phase"] = phase;
        }

        if (!string.IsNullOrEmpty(revision))
        {
            body["revision"] = revision;
        }

        return new EndpointResponse(200, "application/json; charset=utf-8",
            body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    }

    private static string Str(JsonObject obj, string key) =>
        obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
}
