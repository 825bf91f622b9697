using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Semantics;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Http;

/// <summary>Server-side apply requests (api-server.md §6.1): checks, then the field manager, then object semantics.</summary>
internal sealed class ApplyHandler(ServerCore core)
{
    public async Task ApplyAsync(ApiRequest req, byte[] body, string subresource, WriteContext ctx)
    {
        var rt = req.Resource;
        if (string.IsNullOrEmpty(req.QueryValue("fieldManager")))
        {
            throw ApiError.Invalid("meta.k8s.io", "PatchOptions", "", [FieldError.Required("fieldManager", "is required for apply patch")]);
        }

        var force = req.QueryBool("force");
        var config = ApiRequest.ParseJsonObject(body);
        var apiVersion = (string?)(config["apiVersion"] as JsonValue) ?? "";
        if (apiVersion != rt.ApiVersion)
        {
            throw ApiError.BadRequest(
                $"Incorrect version specified in apply patch. Specified patch version: {apiVersion}, expected: {rt.ApiVersion}");
        }

        var kind = (string?)(config["kind"] as JsonValue) ?? "";
        if (kind != rt.Kind)
        {
            throw ApiError.BadRequest($"Incorrect kind specified in apply patch. Specified patch kind: {kind}, expected: {rt.Kind}");
        }

        if (KubeObject.Metadata(config)?["managedFields"] is not null)
        {
            throw ApiError.BadRequest("metadata.managedFields must be nil");
        }

        ResourceHandler.CheckIdentity(req, config, requireName: true);
        var ns = req.Namespace;
        var name = req.Info.Name;
        var options = new ApplyOptions(ctx.Manager, force, subresource, ctx.Now);
        for (var attempt = 0; ; attempt++)
        {
            if (core.Store.Get(rt.StorageKey, ns, name) is null)
            {
                if (subresource.Length > 0)
                {
                    throw ApiError.NotFound(rt, name);
                }

                // Creating through apply needs create permission on top of patch (api-server.md §8.3).
                var create = new RequestAttributes(req.User, "create", true, req.Info.Path, rt.Group, rt.Version, rt.Resource, "", ns, "");
                var decision = core.Access.Authorize(create);
                if (!decision.Allowed)
                {
                    throw ApiError.Forbidden(core.Access.ForbiddenMessage(create, decision), ApiError.Details("", rt.Group, rt.Resource));
                }

                try
                {
                    var created = core.Writer.Fields.Apply(rt, null, config.DeepClone().AsObject(), options);
                    BodyDecoder.CheckTypeMeta(rt, created);
                    var result = core.Writer.CreateApplied(rt, created, ctx);
                    await ResourceHandler.WriteResultAsync(req, result, ctx);
                    return;
                }
                catch (ApiError e) when (e.Code == 409 && attempt < 3 && e.Status?["reason"]?.GetValue<string>() == "AlreadyExists")
                {
                    continue;
                }
            }

            try
            {
                var updated = core.Writer.Update(rt, ns, name, subresource, ctx,
                    live => core.Writer.Fields.Apply(rt, live, config.DeepClone().AsObject(), options), managesFields: true);
                await ResourceHandler.WriteResultAsync(req, updated, ctx);
                return;
            }
            catch (ApiError e) when (e.Code == 404 && attempt < 3 && subresource.Length == 0)
            {
            }
        }
    }
}
