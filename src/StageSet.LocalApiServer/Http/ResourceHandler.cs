using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Http;

/// <summary>The REST verbs on resources: get, list, create, update, patch, delete, deletecollection (watch is <see cref="WatchStream"/>).</summary>
internal sealed class ResourceHandler(ServerCore core)
{
    private static readonly string[] BuiltinPatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/strategic-merge-patch+json", "application/apply-patch+yaml"];

    private static readonly string[] CustomPatchTypes =
        ["application/json-patch+json", "application/merge-patch+json", "application/apply-patch+yaml"];

    public async Task HandleAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var info = req.Info;
        if (!rt.Verbs.Contains(info.Verb) && info.Subresource.Length == 0)
        {
            throw ApiError.MethodNotAllowed(info.Verb, rt);
        }

        if (info.Subresource.Length > 0)
        {
            await HandleSubresourceAsync(req);
            return;
        }

        switch (info.Verb)
        {
            case "get":
                await GetAsync(req);
                break;
            case "list":
                await ListAsync(req);
                break;
            case "watch":
                await new WatchStream(core, req).RunAsync();
                break;
            case "create":
                await CreateAsync(req);
                break;
            case "update":
                await UpdateAsync(req, "");
                break;
            case "patch":
                await PatchAsync(req, "");
                break;
            case "delete":
                await DeleteAsync(req);
                break;
            case "deletecollection":
                await DeleteCollectionAsync(req);
                break;
            default:
                throw ApiError.MethodNotAllowed(info.Verb, rt);
        }
    }

    private async Task HandleSubresourceAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var sub = req.Info.Subresource;
        if (!rt.HasSubresource(sub) || req.Info.Name.Length == 0)
        {
            throw ApiError.NotFoundPath();
        }

        switch (sub, req.Info.Verb)
        {
            case ("status", "get"):
                await GetAsync(req);
                break;
            case ("status", "update"):
                await UpdateAsync(req, "status");
                break;
            case ("status", "patch"):
                await PatchAsync(req, "status");
                break;
            case ("scale", _):
                await new ScaleHandler(core, this).HandleAsync(req);
                break;
            case ("finalize", "update"):
                await FinalizeNamespaceAsync(req);
                break;
            default:
                throw ApiError.MethodNotAllowed(req.Info.Verb, rt);
        }
    }

    private async Task GetAsync(ApiRequest req)
    {
        var stored = core.Store.Get(req.Resource.StorageKey, req.Namespace, req.Info.Name) ?? throw ApiError.NotFound(req.Resource, req.Info.Name);
        if (Tables.Requested(req))
        {
            await Tables.WriteAsync(req, core, [stored], stored.ResourceVersion, null, null);
            return;
        }

        await ListRendering.WriteObjectAsync(req.Http.Response, 200, req.Resource, stored);
    }

    private async Task ListAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var filter = ParseFilter(req);
        var limit = req.QueryLong("limit") ?? 0;
        var token = req.QueryValue("continue");
        StoreList list;
        string? start = null;
        var ns = rt.Namespaced && req.Namespace.Length > 0 ? req.Namespace : null;
        if (!string.IsNullOrEmpty(token))
        {
            var (rv, startKey) = ListRendering.ParseContinue(token);
            start = startKey;
            list = ListAt(rt, ns, rv, continuing: true);
        }
        else if (req.QueryValue("resourceVersionMatch") == "Exact" && req.QueryLong("resourceVersion") is { } exact)
        {
            list = ListAt(rt, ns, exact, continuing: false);
        }
        else
        {
            list = core.Store.List(rt.StorageKey, ns);
        }

        var items = new List<StoredObject>();
        string? next = null;
        long? remaining = null;
        var matched = list.From(start).Where(o => filter.Matches(o.Index));
        foreach (var obj in matched)
        {
            if (limit > 0 && items.Count == limit)
            {
                next = ListRendering.ContinueToken(list.ResourceVersion, obj.Key);
                if (filter.IsEmpty)
                {
                    remaining = list.From(obj.Key).LongCount();
                }

                break;
            }

            items.Add(obj);
        }

        if (next is not null)
        {
            core.Store.RememberSnapshot(rt.StorageKey, list);
        }

        if (Tables.Requested(req))
        {
            await Tables.WriteAsync(req, core, items, list.ResourceVersion, next, remaining);
            return;
        }

        await Responses.WriteBytesAsync(req.Http.Response, 200, ListRendering.List(rt, items, list.ResourceVersion, next, remaining));
    }

    private StoreList ListAt(ResourceType rt, string? ns, long rv, bool continuing)
    {
        try
        {
            return core.Store.ListAt(rt.StorageKey, ns, rv);
        }
        catch (ExpiredException e)
        {
            throw ApiError.Expired(continuing
                ? "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter, or use the continue token in this response to retrieve the remainder of the results. Continuing with the provided token results in an inconsistent list - objects that were created, modified, or deleted between the time the first chunk was returned and now may show up in the list."
                : e.Message);
        }
    }

    public static ObjectFilter ParseFilter(ApiRequest req)
    {
        try
        {
            return new ObjectFilter(
                SelectorParser.ParseLabels(req.QueryValue("labelSelector")),
                SelectorParser.ParseFields(req.QueryValue("fieldSelector"), req.Resource));
        }
        catch (SelectorException e)
        {
            throw ApiError.BadRequest(e.Message);
        }
    }

    private async Task CreateAsync(ApiRequest req)
    {
        var rt = req.Resource;
        if (rt.IsReview)
        {
            await core.Reviews.CreateAsync(req);
            return;
        }

        if (rt.Namespaced && req.Namespace.Length == 0)
        {
            throw ApiError.NotFoundPath();
        }

        var ctx = NewContext(req, "CreateOptions");
        var obj = await BodyDecoder.ReadObjectAsync(req, rt);
        CheckIdentity(req, obj, requireName: false);
        var result = core.Writer.Create(rt, obj, ctx);
        await WriteResultAsync(req, result, ctx);
    }

    private async Task UpdateAsync(ApiRequest req, string subresource)
    {
        var rt = req.Resource;
        var ctx = NewContext(req, "UpdateOptions");
        var body = await BodyDecoder.ReadObjectAsync(req, rt);
        CheckIdentity(req, body, requireName: true);
        var result = core.Writer.Update(rt, req.Namespace, req.Info.Name, subresource, ctx, _ => body.DeepClone().AsObject());
        await WriteResultAsync(req, result, ctx);
    }

    private async Task PatchAsync(ApiRequest req, string subresource)
    {
        var rt = req.Resource;
        var mediaType = req.MediaType;
        var accepted = rt.IsCustom ? CustomPatchTypes : BuiltinPatchTypes;
        if (!accepted.Contains(mediaType))
        {
            throw ApiError.UnsupportedMediaType(accepted);
        }

        var ctx = NewContext(req, "PatchOptions");
        var body = await req.ReadBodyAsync();
        if (mediaType == "application/apply-patch+yaml")
        {
            await new ApplyHandler(core).ApplyAsync(req, body, subresource, ctx);
            return;
        }

        if (req.QueryValue("force") is not null)
        {
            throw ApiError.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.Forbidden("force", "may not be specified for non-apply patch")]);
        }

        var result = core.Writer.Update(rt, req.Namespace, req.Info.Name, subresource, ctx,
            live => PatchEngine.Apply(rt, live, mediaType, body, core.Schemas));
        await WriteResultAsync(req, result, ctx);
    }

    private async Task DeleteAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var ctx = NewContext(req, "DeleteOptions");
        var options = await ReadDeleteOptionsAsync(req);
        var result = core.Writer.Delete(rt, req.Namespace, req.Info.Name, options, ctx);
        await WriteDeleteResultAsync(req, result);
    }

    public async Task WriteDeleteResultAsync(ApiRequest req, WriteResult result)
    {
        var rt = req.Resource;
        if (!result.Deleted || rt.DeleteReturnsObject)
        {
            await ListRendering.WriteObjectAsync(req.Http.Response, 200, rt, result.Object);
            return;
        }

        var obj = result.Object.ToJsonObject();
        var details = ApiError.Details(req.Info.Name, rt.Group, rt.Resource);
        details["uid"] = KubeObject.Metadata(obj)?["uid"]?.DeepClone();
        await Responses.WriteJsonAsync(req.Http.Response, 200, Responses.Success(details));
    }

    private async Task DeleteCollectionAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var ctx = NewContext(req, "DeleteOptions");
        var options = await ReadDeleteOptionsAsync(req);
        var filter = ParseFilter(req);
        var ns = rt.Namespaced && req.Namespace.Length > 0 ? req.Namespace : null;
        var list = core.Store.List(rt.StorageKey, ns);
        var deleted = new List<StoredObject>();
        foreach (var obj in list.Items.Where(o => filter.Matches(o.Index)))
        {
            try
            {
                deleted.Add(core.Writer.Delete(rt, obj.Namespace, obj.Name, options, ctx).Object);
            }
            catch (ApiError e) when (e.Code == 404)
            {
            }
        }

        await Responses.WriteBytesAsync(req.Http.Response, 200, ListRendering.List(rt, deleted, core.Store.CurrentResourceVersion, null, null));
    }

    private async Task FinalizeNamespaceAsync(ApiRequest req)
    {
        var rt = req.Resource;
        var ctx = NewContext(req, "UpdateOptions");
        var body = await BodyDecoder.ReadObjectAsync(req, rt);
        var result = core.Writer.Update(rt, "", req.Info.Name, "finalize", ctx, live =>
        {
            live["spec"] = body["spec"]?.DeepClone() ?? new JsonObject();
            return live;
        });
        await WriteResultAsync(req, result, ctx);
    }

    private static async Task<DeleteRequest> ReadDeleteOptionsAsync(ApiRequest req)
    {
        var policy = req.QueryValue("propagationPolicy");
        string? uid = null, rv = null;
        var body = await req.ReadBodyAsync();
        if (body.Length > 0)
        {
            var options = ApiRequest.ParseJsonObject(body);
            policy = (string?)options["propagationPolicy"] ?? policy;
            if (options["orphanDependents"] is JsonValue orphan && orphan.TryGetValue<bool>(out var o))
            {
                policy ??= o ? "Orphan" : "Background";
            }

            uid = (string?)options["preconditions"]?["uid"];
            rv = (string?)options["preconditions"]?["resourceVersion"];
        }

        if (policy is not null and not ("Foreground" or "Background" or "Orphan"))
        {
            throw ApiError.Invalid("meta.k8s.io", "DeleteOptions", "",
                [FieldError.NotSupported("propagationPolicy", FieldError.Quote(policy), ["Foreground", "Background", "Orphan", "nil"])]);
        }

        return new DeleteRequest(policy, uid, rv);
    }

    public WriteContext NewContext(ApiRequest req, string optionsKind) =>
        new(req.FieldManager(optionsKind), req.DryRun(optionsKind), req.FieldValidation(optionsKind), core.Clock.GetUtcNow());

    public static async Task WriteResultAsync(ApiRequest req, WriteResult result, WriteContext ctx)
    {
        foreach (var warning in ctx.Warnings)
        {
            req.AddWarning(warning);
        }

        if (result.Deleted)
        {
            await ListRendering.WriteObjectAsync(req.Http.Response, 200, req.Resource, result.Object);
            return;
        }

        await ListRendering.WriteObjectAsync(req.Http.Response, result.Code, req.Resource, result.Object);
    }

    /// <summary>Name and namespace in the body against the URL (api-server.md §3.1).</summary>
    public static void CheckIdentity(ApiRequest req, JsonObject obj, bool requireName)
    {
        var rt = req.Resource;
        var meta = KubeObject.EnsureMetadata(obj);
        var name = KubeObject.Name(obj);
        if (requireName)
        {
            if (name.Length == 0)
            {
                meta["name"] = req.Info.Name;
            }
            else if (name != req.Info.Name)
            {
                throw ApiError.BadRequest($"the name of the object ({name}) does not match the name on the URL ({req.Info.Name})");
            }
        }

        if (!rt.Namespaced)
        {
            meta.Remove("namespace");
            return;
        }

        var ns = KubeObject.Namespace(obj);
        if (ns.Length == 0)
        {
            meta["namespace"] = req.Namespace;
        }
        else if (ns != req.Namespace)
        {
            throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }
    }
}
