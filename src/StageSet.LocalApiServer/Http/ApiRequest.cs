using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StageSet.LocalApiServer.Authentication;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Http;

/// <summary>One request being served: its parsed path, caller and query options.</summary>
internal sealed class ApiRequest(HttpContext http, RequestInfo info, UserInfo user)
{
    public HttpContext Http { get; } = http;

    public RequestInfo Info { get; } = info;

    /// <summary>The effective user (after impersonation).</summary>
    public UserInfo User { get; set; } = user;

    public ResourceType Resource { get; set; } = null!;

    /// <summary>The namespace of the addressed object: empty for cluster-scoped kinds (a namespace's own name is not one).</summary>
    public string Namespace => Resource.Namespaced ? Info.Namespace : "";

    public IQueryCollection Query => Http.Request.Query;

    public string? QueryValue(string name) => Query.TryGetValue(name, out var v) && v.Count > 0 ? v[^1] : null;

    public bool QueryBool(string name) => QueryValue(name) is "true" or "1" or "True";

    public long? QueryLong(string name) =>
        long.TryParse(QueryValue(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary><c>dryRun=All</c>; any other value is 422 as kube-apiserver answers it.</summary>
    public bool DryRun(string optionsKind)
    {
        if (!Query.TryGetValue("dryRun", out var values) || values.Count == 0)
        {
            return false;
        }

        for (var i = 0; i < values.Count; i++)
        {
            if (values[i] != "All")
            {
                throw ApiError.Invalid("meta.k8s.io", optionsKind, "",
                    [FieldError.NotSupported($"dryRun[{i}]", FieldError.Quote(values[i] ?? ""), ["All"])]);
            }
        }

        return true;
    }

    /// <summary>The manager named by <c>fieldManager</c>, else the User-Agent up to its first <c>/</c>.</summary>
    public string FieldManager(string optionsKind)
    {
        var manager = QueryValue("fieldManager");
        if (manager is null)
        {
            var agent = Http.Request.Headers.UserAgent.ToString();
            var slash = agent.IndexOf('/', StringComparison.Ordinal);
            manager = slash >= 0 ? agent[..slash] : agent;
            return manager.Length > 128 ? manager[..128] : manager;
        }

        if (manager.Length > 128)
        {
            throw ApiError.Invalid("meta.k8s.io", optionsKind, "", [FieldError.TooLong("fieldManager", 128)]);
        }

        if (manager.Any(c => char.IsControl(c)))
        {
            throw ApiError.Invalid("meta.k8s.io", optionsKind, "",
                [FieldError.Invalid("fieldManager", FieldError.Quote(manager), "must only contain printable characters")]);
        }

        return manager;
    }

    /// <summary><c>fieldValidation</c>: Strict, Warn (default) or Ignore.</summary>
    public string FieldValidation(string optionsKind)
    {
        var value = QueryValue("fieldValidation");
        if (value is null or "")
        {
            return "Warn";
        }

        if (value is "Strict" or "Warn" or "Ignore")
        {
            return value;
        }

        throw ApiError.Invalid("meta.k8s.io", optionsKind, "",
            [FieldError.NotSupported("fieldValidation", FieldError.Quote(value), ["Ignore", "Strict", "Warn"])]);
    }

    /// <summary>The media type of the body without parameters (<c>; charset=utf-8</c> and the like).</summary>
    public string MediaType
    {
        get
        {
            var ct = Http.Request.ContentType ?? "";
            var semi = ct.IndexOf(';', StringComparison.Ordinal);
            return (semi >= 0 ? ct[..semi] : ct).Trim().ToLowerInvariant();
        }
    }

    public async Task<byte[]> ReadBodyAsync()
    {
        using var buffer = new MemoryStream();
        await Http.Request.Body.CopyToAsync(buffer, Http.RequestAborted);
        return buffer.ToArray();
    }

    public void AddWarning(string text) =>
        Http.Response.Headers.Append("Warning", "299 - " + FieldError.Quote(text));

    public static JsonObject ParseJsonObject(byte[] body)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body, documentOptions: new JsonDocumentOptions { AllowDuplicateProperties = true });
        }
        catch (JsonException e)
        {
            throw ApiError.BadRequest("couldn't get version/kind; json parse error: " + e.Message);
        }

        return node as JsonObject ?? throw ApiError.BadRequest("couldn't get version/kind; json parse error: expected a JSON object");
    }
}
