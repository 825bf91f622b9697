using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Http;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;
using StageSet.Manifests.Schema;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>Who writes and how: manager name, dry run, fieldValidation, and the warnings collected on the way.</summary>
internal sealed record WriteContext(string Manager, bool DryRun, string FieldValidation, DateTimeOffset Now)
{
    public List<string> Warnings { get; } = [];
}

/// <summary>DeleteOptions that matter here.</summary>
internal sealed record DeleteRequest(string? PropagationPolicy = null, string? PreconditionUid = null, string? PreconditionResourceVersion = null);

/// <summary>The outcome of a write: the object as stored (or as it would be, for dry run) and the HTTP code.</summary>
internal sealed record WriteResult(int Code, StoredObject Object, bool Deleted = false);

/// <summary>
/// Every persisted write goes through here — HTTP handlers and the emulated controllers alike — so object semantics
/// (system metadata, generation, status isolation, finalizers, no-op detection, optimistic concurrency) hold everywhere.
/// </summary>
internal sealed class ObjectWriter(ObjectStore store, IWriteAdmission admission, IFieldTracker fields)
{
    private static readonly ResourceType NamespaceType = BuiltinResources.All.First(r => r.Kind == "Namespace");

    public ObjectStore Store => store;

    public IFieldTracker Fields => fields;

    public WriteResult Create(ResourceType rt, JsonObject obj, WriteContext ctx)
    {
        var meta = KubeObject.EnsureMetadata(obj);
        var name = KubeObject.Name(obj);
        if (name.Length == 0 && meta["generateName"] is JsonValue gv && gv.TryGetValue<string>(out var prefix) && prefix.Length > 0)
        {
            name = prefix + RandomSuffix();
            meta["name"] = name;
        }

        if (name.Length == 0)
        {
            throw ApiError.Invalid(rt, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }

        if (meta["resourceVersion"] is JsonValue rv && rv.TryGetValue<string>(out var rvs) && rvs.Length > 0)
        {
            throw ApiError.PlainInternal("resourceVersion should not be set on objects to be created");
        }

        var nameErrors = NameValidation.Validate(rt.Kind, rt.Group, name);
        if (nameErrors.Count > 0)
        {
            throw ApiError.Invalid(rt, name, nameErrors);
        }

        var ns = KubeObject.Namespace(obj);
        if (rt.Namespaced)
        {
            RequireNamespaceAcceptsContent(rt, ns, name);
        }

        ObjectSemantics.PrepareForCreate(rt, obj, ctx.Now);
        Admit(rt, obj, ctx);
        var errors = admission.ValidateCreate(rt, obj);
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(rt, name, errors);
        }

        obj = fields.RecordUpdate(rt, null, obj, new UpdateOptions(ctx.Manager, rt.ApiVersion, "", ctx.Now));
        return Persist(rt, obj, ctx);
    }

    /// <summary>Create of an object already processed by server-side apply (field management done).</summary>
    public WriteResult CreateApplied(ResourceType rt, JsonObject obj, WriteContext ctx)
    {
        var name = KubeObject.Name(obj);
        var nameErrors = NameValidation.Validate(rt.Kind, rt.Group, name);
        if (nameErrors.Count > 0)
        {
            throw ApiError.Invalid(rt, name, nameErrors);
        }

        if (rt.Namespaced)
        {
            RequireNamespaceAcceptsContent(rt, KubeObject.Namespace(obj), name);
        }

        ObjectSemantics.PrepareForCreate(rt, obj, ctx.Now);
        admission.Default(rt, obj);
        var errors = admission.ValidateCreate(rt, obj);
        if (errors.Count > 0)
        {
            throw ApiError.Invalid(rt, name, errors);
        }

        return Persist(rt, obj, ctx);
    }

    private WriteResult Persist(ResourceType rt, JsonObject obj, WriteContext ctx)
    {
        var name = KubeObject.Name(obj);
        if (ctx.DryRun)
        {
            if (store.Get(rt.StorageKey, KubeObject.Namespace(obj), name) is not null)
            {
                throw ApiError.AlreadyExists(rt, name);
            }

            KubeObject.EnsureMetadata(obj).Remove("resourceVersion");
            return new WriteResult(201, new StoredObject(StoredObject.Serialize(obj), 0, KubeObject.Namespace(obj), name, ObjectIndex.Empty));
        }

        try
        {
            return new WriteResult(201, store.Create(rt.StorageKey, obj, FieldIndex.Of(rt, obj)));
        }
        catch (StoreException e) when (e.Error == StoreError.AlreadyExists)
        {
            throw ApiError.AlreadyExists(rt, name);
        }
    }

    /// <summary>
    /// Read-modify-write with optimistic concurrency. <paramref name="compute"/> turns the live object into the desired
    /// one; a resourceVersion it leaves set is a precondition (409 when stale), otherwise a lost race is retried.
    /// Field management is up to <paramref name="compute"/> when <paramref name="managesFields"/> (server-side apply).
    /// </summary>
    public WriteResult Update(
        ResourceType rt, string ns, string name, string subresource, WriteContext ctx, Func<JsonObject, JsonObject> compute,
        bool managesFields = false)
    {
        for (var attempt = 0; ; attempt++)
        {
            var liveStored = store.Get(rt.StorageKey, ns, name) ?? throw ApiError.NotFound(rt, name);
            var live = liveStored.ToJsonObject();
            var desired = compute(live.DeepClone().AsObject());
            var liveRv = KubeObject.Metadata(live)!["resourceVersion"]!.GetValue<string>();
            var meta = KubeObject.EnsureMetadata(desired);
            var wantedRv = meta["resourceVersion"] is JsonValue w && w.TryGetValue<string>(out var ws) ? ws : "";
            if (wantedRv.Length > 0 && wantedRv != liveRv)
            {
                throw ApiError.Conflict(rt, name);
            }

            meta["resourceVersion"] = liveRv;
            desired["apiVersion"] = rt.ApiVersion;
            desired["kind"] = rt.Kind;
            ObjectSemantics.PrepareForUpdate(rt, desired, live, subresource);
            CheckFinalizers(rt, live, desired, name);
            if (subresource != "status")
            {
                admission.PreserveAllocated(rt, live, desired);
                Admit(rt, desired, ctx);
            }

            var errors = admission.ValidateUpdate(rt, live, desired);
            if (errors.Count > 0)
            {
                throw ApiError.Invalid(rt, name, errors);
            }

            if (!managesFields)
            {
                desired = fields.RecordUpdate(rt, live, desired, new UpdateOptions(ctx.Manager, rt.ApiVersion, subresource, ctx.Now));
            }

            // Stored objects carry the storage apiVersion; compare like with like.
            desired["apiVersion"] = live["apiVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(desired, live))
            {
                return new WriteResult(200, liveStored);
            }

            if (ObjectSemantics.IsDeleting(desired) && ObjectSemantics.Finalizers(desired).Count == 0 && !IsNamespaceWaiting(rt, desired))
            {
                return DeleteNow(rt, ns, name, liveStored, ctx, desired);
            }

            if (ctx.DryRun)
            {
                return new WriteResult(200, new StoredObject(StoredObject.Serialize(desired), liveStored.ResourceVersion, ns, name, ObjectIndex.Empty));
            }

            try
            {
                return new WriteResult(200, store.Update(rt.StorageKey, desired, liveStored.ResourceVersion, FieldIndex.Of(rt, desired)));
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict && attempt < 100)
            {
                // Someone wrote in between; recompute from the new live object like GuaranteedUpdate does. A stale
                // precondition of the client's is caught by the check above on the next attempt. (Checking wantedRv
                // here would be wrong: a patch or apply result carries the live resourceVersion it was computed from.)
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict)
            {
                throw ApiError.Conflict(rt, name);
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                throw ApiError.NotFound(rt, name);
            }
        }
    }

    /// <summary>Removes an object whose last finalizer is gone (or that never had one).</summary>
    public WriteResult DeleteNow(ResourceType rt, string ns, string name, StoredObject liveStored, WriteContext ctx, JsonObject? finalState = null)
    {
        if (ctx.DryRun)
        {
            return new WriteResult(200, finalState is null ? liveStored : new StoredObject(StoredObject.Serialize(finalState), liveStored.ResourceVersion, ns, name, liveStored.Index), true);
        }

        try
        {
            // An update that empties the finalizers deletes without storing that update first (the registry's
            // deleteWithoutFinalizers): watchers see MODIFIED (deletionTimestamp) then only DELETED.
            return new WriteResult(200, store.Delete(rt.StorageKey, ns, name, liveStored.ResourceVersion), true);
        }
        catch (StoreException e) when (e.Error == StoreError.NotFound)
        {
            throw ApiError.NotFound(rt, name);
        }
        catch (StoreException)
        {
            throw ApiError.Conflict(rt, name);
        }
    }

    private static bool IsNamespaceWaiting(ResourceType rt, JsonObject obj) =>
        rt.Group.Length == 0 && rt.Kind == "Namespace" && obj["spec"]?["finalizers"] is JsonArray { Count: > 0 };

    private void Admit(ResourceType rt, JsonObject obj, WriteContext ctx)
    {
        var unknown = admission.Prune(rt, obj);
        if (unknown.Count > 0)
        {
            switch (ctx.FieldValidation)
            {
                case "Strict":
                    throw ApiError.BadRequest(
                        $"{rt.Kind} in version \"{rt.Version}\" cannot be handled as a {rt.Kind}: strict decoding error: " +
                        string.Join(", ", unknown.Select(u => $"unknown field \"{u}\"")));
                case "Warn":
                    ctx.Warnings.AddRange(unknown.Select(u => $"unknown field \"{u}\""));
                    break;
            }
        }

        admission.Default(rt, obj);
    }

    private static void CheckFinalizers(ResourceType rt, JsonObject live, JsonObject desired, string name)
    {
        if (!ObjectSemantics.IsDeleting(live))
        {
            return;
        }

        var before = ObjectSemantics.Finalizers(live);
        var added = ObjectSemantics.Finalizers(desired).Where(f => !before.Contains(f)).ToList();
        if (added.Count > 0)
        {
            throw ApiError.Invalid(rt, name,
            [
                FieldError.Forbidden("metadata.finalizers",
                    "no new finalizers can be added if the object is being deleted, found new finalizers []string{" +
                    string.Join(", ", added.Select(FieldError.Quote)) + "}"),
            ]);
        }
    }

    private void RequireNamespaceAcceptsContent(ResourceType rt, string ns, string name)
    {
        var nsObj = store.Get(NamespaceType.StorageKey, "", ns) ?? throw ApiError.NotFound("", "namespaces", ns);
        var obj = nsObj.ToJsonObject();
        if (ObjectSemantics.IsDeleting(obj))
        {
            throw ApiError.Forbidden(
                $"{rt.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                WithCauses(ApiError.Details(name, rt.Group, rt.Resource), new JsonObject
                {
                    ["reason"] = "NamespaceTerminating",
                    ["message"] = $"namespace {ns} is being terminated",
                    ["field"] = "metadata.namespace",
                }));
        }

    }

    private static JsonObject WithCauses(JsonObject details, params JsonObject[] causes)
    {
        details["causes"] = new JsonArray(causes.Select(c => (JsonNode?)c).ToArray());
        return details;
    }

    /// <summary>
    /// DELETE with kube-apiserver's options: preconditions, propagation policy finalizers, graceful deletion while
    /// finalizers remain, and namespaces that only turn Terminating.
    /// </summary>
    public WriteResult Delete(ResourceType rt, string ns, string name, DeleteRequest request, WriteContext ctx)
    {
        for (var attempt = 0; ; attempt++)
        {
            var liveStored = store.Get(rt.StorageKey, ns, name) ?? throw ApiError.NotFound(rt, name);
            var live = liveStored.ToJsonObject();
            var meta = KubeObject.EnsureMetadata(live);
            if ((request.PreconditionUid is { } uid && uid != (string?)meta["uid"])
                || (request.PreconditionResourceVersion is { } prv && prv != (string?)meta["resourceVersion"]))
            {
                throw ApiError.Conflict(rt, name);
            }

            var isNamespace = rt.Group.Length == 0 && rt.Kind == "Namespace";
            if (isNamespace && name is "default" or "kube-system" or "kube-public")
            {
                throw ApiError.Forbidden($"namespaces \"{name}\" is forbidden: this namespace may not be deleted",
                    ApiError.Details(name, "", "namespaces"));
            }

            var desired = live.DeepClone().AsObject();
            var finalizers = ObjectSemantics.Finalizers(desired);
            var policy = request.PropagationPolicy ?? (rt.Group == "batch" && rt.Kind == "Job" ? "Orphan" : "Background");
            if (!ObjectSemantics.IsDeleting(live))
            {
                if (policy == "Foreground" && !finalizers.Contains("foregroundDeletion"))
                {
                    finalizers.Add("foregroundDeletion");
                }
                else if (policy == "Orphan" && !finalizers.Contains("orphan"))
                {
                    finalizers.Add("orphan");
                }

                if (rt.Group == "apiextensions.k8s.io" && rt.Kind == "CustomResourceDefinition" && !finalizers.Contains(Crds.CrdController.CleanupFinalizer))
                {
                    finalizers.Add(Crds.CrdController.CleanupFinalizer);
                }
            }

            ObjectSemantics.SetFinalizers(desired, finalizers);
            var waitsForNamespaceFinalizers = isNamespace;
            if (finalizers.Count == 0 && !waitsForNamespaceFinalizers)
            {
                if (ctx.DryRun)
                {
                    return new WriteResult(200, liveStored, true);
                }

                try
                {
                    return new WriteResult(200, store.Delete(rt.StorageKey, ns, name, liveStored.ResourceVersion), true);
                }
                catch (StoreException e) when (e.Error == StoreError.Conflict && attempt < 100)
                {
                    continue;
                }
                catch (StoreException e) when (e.Error == StoreError.NotFound)
                {
                    throw ApiError.NotFound(rt, name);
                }
            }

            if (ObjectSemantics.IsDeleting(live) && JsonNode.DeepEquals(desired, live))
            {
                return new WriteResult(200, liveStored);
            }

            if (!ObjectSemantics.IsDeleting(live))
            {
                ObjectSemantics.MarkDeleting(desired, ctx.Now);
                if (isNamespace)
                {
                    desired["status"] = new JsonObject { ["phase"] = "Terminating" };
                }
            }

            if (ctx.DryRun)
            {
                return new WriteResult(200, new StoredObject(StoredObject.Serialize(desired), liveStored.ResourceVersion, ns, name, liveStored.Index));
            }

            try
            {
                return new WriteResult(200, store.Update(rt.StorageKey, desired, liveStored.ResourceVersion, FieldIndex.Of(rt, desired)));
            }
            catch (StoreException e) when (e.Error == StoreError.Conflict && attempt < 100)
            {
            }
            catch (StoreException e) when (e.Error == StoreError.NotFound)
            {
                throw ApiError.NotFound(rt, name);
            }
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return string.Create(5, 0, (span, _) =>
        {
            for (var i = 0; i < span.Length; i++)
            {
                span[i] = alphabet[System.Security.Cryptography.RandomNumberGenerator.GetInt32(alphabet.Length)];
            }
        });
    }
}
