using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Kube;

/// <summary>Patch flavours the API server accepts.</summary>
public enum PatchKind
{
    Merge,
    Json,
    StrategicMerge,
}

public sealed record ApplyOptions(string FieldManager)
{
    public bool Force { get; init; }

    public bool DryRun { get; init; }
}

public sealed record ListOptions
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    /// <summary>Page size; pages are followed until the list is complete.</summary>
    public int Limit { get; init; } = 500;
}

public sealed record WatchOptions(string ResourceVersion)
{
    public string? LabelSelector { get; init; }

    public string? FieldSelector { get; init; }

    public bool AllowBookmarks { get; init; } = true;

    /// <summary>Server-side bound of one watch call; the informer simply resumes afterwards.</summary>
    public int? TimeoutSeconds { get; init; }
}

public enum DeletePropagation
{
    Background,
    Foreground,
    Orphan,
}

/// <summary>A complete list: every page's items and the collection resourceVersion to watch from.</summary>
public sealed record KubeList(IReadOnlyList<JsonObject> Items, string ResourceVersion);

/// <summary>One watch notification: ADDED, MODIFIED, DELETED, BOOKMARK or ERROR.</summary>
public sealed record WatchEvent(string Type, JsonObject Object)
{
    public string ResourceVersion => KubeObject.Metadata(Object)?["resourceVersion"]?.GetValue<string>() ?? "";
}

/// <summary>
/// Kind-agnostic client over <see cref="JsonObject"/>: every call maps the kind through discovery and runs as
/// one <see cref="KubeIdentity"/>. Immutable; <see cref="As"/> returns a view with another identity.
/// </summary>
public sealed class DynamicClient
{
    private readonly KubeTransport _transport;

    internal DynamicClient(KubeTransport transport, RestMapper mapper, KubeIdentity identity)
    {
        _transport = transport;
        Mapper = mapper;
        Identity = identity;
    }

    public RestMapper Mapper { get; }

    public KubeIdentity Identity { get; }

    public DynamicClient As(KubeIdentity identity) =>
        identity == Identity ? this : new DynamicClient(_transport, Mapper, identity);

    /// <summary>The object, or null when it does not exist.</summary>
    public async Task<JsonObject?> GetAsync(GroupVersionKind gvk, string? ns, string name, CancellationToken ct)
    {
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe("get", gvk, ns, name);
        try
        {
            return await _transport.SendAsync(
                new KubeRequest(HttpMethod.Get, ObjectPath(mapping, ns, name, null, op), op)
                {
                    Identity = Identity,
                    Idempotent = true,
                }, ct).ConfigureAwait(false);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return null;
        }
    }

    /// <summary>Lists across every page. <paramref name="ns"/> null or empty lists all namespaces.</summary>
    public async Task<KubeList> ListAsync(GroupVersionKind gvk, string? ns, ListOptions? options, CancellationToken ct)
    {
        options ??= new ListOptions();
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe("list", gvk, ns, null);
        var items = new List<JsonObject>();
        string? continueToken = null;
        var resourceVersion = "";
        do
        {
            var query = new Query()
                .Add("labelSelector", options.LabelSelector)
                .Add("fieldSelector", options.FieldSelector)
                .Add("limit", options.Limit > 0 ? options.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
                .Add("continue", continueToken);
            var page = await _transport.SendAsync(
                new KubeRequest(HttpMethod.Get, CollectionPath(mapping, ns) + query, op)
                {
                    Identity = Identity,
                    Idempotent = true,
                }, ct).ConfigureAwait(false);
            foreach (var item in page["items"] as JsonArray ?? [])
            {
                if (item is JsonObject obj)
                {
                    var copy = (JsonObject)obj.DeepClone();
                    // List items omit apiVersion/kind; callers expect complete objects.
                    copy["apiVersion"] = gvk.ApiVersion;
                    copy["kind"] = gvk.Kind;
                    items.Add(copy);
                }
            }

            var meta = page["metadata"] as JsonObject;
            resourceVersion = meta?["resourceVersion"]?.GetValue<string>() ?? resourceVersion;
            continueToken = meta?["continue"]?.GetValue<string>();
        }
        while (!string.IsNullOrEmpty(continueToken));

        return new KubeList(items, resourceVersion);
    }

    public async Task<JsonObject> CreateAsync(JsonObject obj, CancellationToken ct)
    {
        var gvk = KubeObject.Gvk(obj);
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe("create", gvk, KubeObject.Namespace(obj), KubeObject.Name(obj));
        return await _transport.SendAsync(
            new KubeRequest(HttpMethod.Post, CollectionPath(mapping, RequireNamespace(mapping, KubeObject.Namespace(obj), op)), op)
            {
                Body = obj.ToJsonString(),
                Identity = Identity,
            }, ct).ConfigureAwait(false);
    }

    /// <summary>PUT; guarded by the object's resourceVersion when it carries one.</summary>
    public Task<JsonObject> UpdateAsync(JsonObject obj, CancellationToken ct, string? fieldManager = null) =>
        PutAsync(obj, null, ct, fieldManager);

    public Task<JsonObject> UpdateStatusAsync(JsonObject obj, CancellationToken ct) => PutAsync(obj, "status", ct, null);

    private async Task<JsonObject> PutAsync(JsonObject obj, string? subresource, CancellationToken ct, string? fieldManager)
    {
        var gvk = KubeObject.Gvk(obj);
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var name = KubeObject.Name(obj);
        var op = Describe(subresource is null ? "update" : "update " + subresource, gvk, KubeObject.Namespace(obj), name);
        return await _transport.SendAsync(
            new KubeRequest(HttpMethod.Put,
                ObjectPath(mapping, KubeObject.Namespace(obj), name, subresource, op) + new Query().Add("fieldManager", fieldManager), op)
            {
                Body = obj.ToJsonString(),
                Identity = Identity,
                Idempotent = KubeObject.Metadata(obj)?["resourceVersion"] is not null,
            }, ct).ConfigureAwait(false);
    }

    public async Task<JsonObject> PatchAsync(GroupVersionKind gvk, string? ns, string name, PatchKind kind, string body,
        CancellationToken ct, string? subresource = null, string? fieldManager = null)
    {
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe(subresource is null ? "patch" : "patch " + subresource, gvk, ns, name);
        var query = new Query().Add("fieldManager", fieldManager);
        return await _transport.SendAsync(
            new KubeRequest(HttpMethod.Patch, ObjectPath(mapping, ns, name, subresource, op) + query, op)
            {
                Body = body,
                ContentType = kind switch
                {
                    PatchKind.Json => "application/json-patch+json",
                    PatchKind.StrategicMerge => "application/strategic-merge-patch+json",
                    _ => "application/merge-patch+json",
                },
                Identity = Identity,
                // Merge patches without preconditions converge to the same result when repeated.
                Idempotent = kind != PatchKind.Json,
            }, ct).ConfigureAwait(false);
    }

    /// <summary>Server-side apply of <paramref name="obj"/> (a full intent, as the field manager owns it).</summary>
    public async Task<JsonObject> ApplyAsync(JsonObject obj, ApplyOptions options, CancellationToken ct,
        string? subresource = null)
    {
        var gvk = KubeObject.Gvk(obj);
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var name = KubeObject.Name(obj);
        var op = Describe(options.DryRun ? "dry-run apply" : "apply", gvk, KubeObject.Namespace(obj), name);
        var ns = RequireNamespace(mapping, KubeObject.Namespace(obj), op);
        var query = new Query()
            .Add("fieldManager", options.FieldManager)
            .Add("force", options.Force ? "true" : null)
            .Add("dryRun", options.DryRun ? "All" : null);
        return await _transport.SendAsync(
            new KubeRequest(HttpMethod.Patch, ObjectPath(mapping, ns, name, subresource, op) + query, op)
            {
                Body = obj.ToJsonString(),
                ContentType = "application/apply-patch+yaml",
                Identity = Identity,
                Idempotent = true,
            }, ct).ConfigureAwait(false);
    }

    /// <summary>Deletes; returns false when the object was already gone.</summary>
    public async Task<bool> DeleteAsync(GroupVersionKind gvk, string? ns, string name, CancellationToken ct,
        DeletePropagation propagation = DeletePropagation.Background, string? uid = null)
    {
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe("delete", gvk, ns, name);
        var body = new JsonObject
        {
            ["kind"] = "DeleteOptions",
            ["apiVersion"] = "v1",
            ["propagationPolicy"] = propagation.ToString(),
        };
        if (uid is not null)
        {
            body["preconditions"] = new JsonObject { ["uid"] = uid };
        }

        try
        {
            await _transport.SendAsync(
                new KubeRequest(HttpMethod.Delete, ObjectPath(mapping, ns, name, null, op), op)
                {
                    Body = body.ToJsonString(),
                    Identity = Identity,
                    Idempotent = true,
                }, ct).ConfigureAwait(false);
            return true;
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return false;
        }
    }

    /// <summary>
    /// Streams watch events until the server ends the stream or <paramref name="ct"/> fires. An ERROR event is
    /// yielded as-is (its object is a Status); the caller decides whether to relist.
    /// </summary>
    public async IAsyncEnumerable<WatchEvent> WatchAsync(GroupVersionKind gvk, string? ns, WatchOptions options,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var mapping = await Mapper.MapAsync(gvk, ct).ConfigureAwait(false);
        var op = Describe("watch", gvk, ns, null);
        var query = new Query()
            .Add("watch", "true")
            .Add("resourceVersion", options.ResourceVersion)
            .Add("allowWatchBookmarks", options.AllowBookmarks ? "true" : null)
            .Add("labelSelector", options.LabelSelector)
            .Add("fieldSelector", options.FieldSelector)
            .Add("timeoutSeconds", options.TimeoutSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        using var response = await _transport.OpenStreamAsync(
            new KubeRequest(HttpMethod.Get, CollectionPath(mapping, ns) + query, op) { Identity = Identity }, ct)
            .ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or HttpRequestException)
            {
                yield break;
            }

            if (line is null)
            {
                yield break;
            }

            if (line.Length == 0)
            {
                continue;
            }

            WatchEvent? evt = null;
            try
            {
                if (JsonNode.Parse(line) is JsonObject node && node["type"]?.GetValue<string>() is { } type &&
                    node["object"] is JsonObject obj)
                {
                    node.Remove("object");
                    evt = new WatchEvent(type, obj);
                }
            }
            catch (JsonException)
            {
                // A garbled line means the stream cannot be trusted past this point: end it and let the caller resume.
            }

            if (evt is null)
            {
                yield break;
            }

            yield return evt;
        }
    }

    private static string RequireNamespace(ResourceMapping mapping, string ns, string op)
    {
        if (mapping.Namespaced && string.IsNullOrEmpty(ns))
        {
            throw new KubeApiException(op, 0, "NamespaceRequired",
                "the namespace of the " + mapping.Kind.Kind + " is not specified");
        }

        return ns;
    }

    private static string CollectionPath(ResourceMapping mapping, string? ns)
    {
        var gvr = mapping.Resource;
        var sb = new StringBuilder(gvr.Group.Length == 0 ? "api/" + gvr.Version : "apis/" + gvr.Group + "/" + gvr.Version);
        if (mapping.Namespaced && !string.IsNullOrEmpty(ns))
        {
            sb.Append("/namespaces/").Append(Uri.EscapeDataString(ns));
        }

        return sb.Append('/').Append(gvr.Resource).ToString();
    }

    private static string ObjectPath(ResourceMapping mapping, string? ns, string name, string? subresource, string op)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new KubeApiException(op, 0, "NameRequired", "the name of the " + mapping.Kind.Kind + " is not specified");
        }

        var path = CollectionPath(mapping, RequireNamespace(mapping, ns ?? "", op)) + "/" + Uri.EscapeDataString(name);
        return subresource is null ? path : path + "/" + subresource;
    }

    private static string Describe(string verb, GroupVersionKind gvk, string? ns, string? name) =>
        verb + " " + gvk.Kind + (string.IsNullOrEmpty(name)
            ? string.IsNullOrEmpty(ns) ? "" : " in " + ns
            : " " + (string.IsNullOrEmpty(ns) ? "" : ns + "/") + name);

    private sealed class Query
    {
        private readonly StringBuilder _sb = new();

        public Query Add(string key, string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                _sb.Append(_sb.Length == 0 ? '?' : '&').Append(key).Append('=').Append(Uri.EscapeDataString(value));
            }

            return this;
        }

        public override string ToString() => _sb.ToString();
    }
}
