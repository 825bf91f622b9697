using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Emulation;

/// <summary>
/// The garbage collector (opt-in, api-server.md §9.2): dependents of a deleted owner are deleted unless another owner
/// remains; Foreground waits for dependents before dropping <c>foregroundDeletion</c>; Orphan strips the owner
/// references before dropping <c>orphan</c>.
/// </summary>
internal sealed class GarbageCollector(ServerCore core)
{
    public Task RunAsync(CancellationToken token) => StoreEventLoop.RunAsync(core.Store, (batch, _) =>
    {
        if (batch.Any(e => e.Type == WatchEventType.Deleted || (e.Type == WatchEventType.Modified && Finalizers(e.Object).Overlaps(["foregroundDeletion", "orphan"]))))
        {
            Collect();
        }

        return Task.CompletedTask;
    }, token);

    private static HashSet<string> Finalizers(StoredObject obj) => [.. ObjectSemantics.Finalizers(obj.ToJsonObject())];

    private void Collect()
    {
        var ctx = core.SystemContext("generic-garbage-collector");
        var types = core.Registry.Current.Resources.Where(r => !r.IsReview).DistinctBy(r => r.StorageKey).ToList();
        var all = types.SelectMany(rt => core.Store.List(rt.StorageKey, null).Items.Select(o => (Type: rt, Obj: o.ToJsonObject()))).ToList();
        var alive = all.Select(o => Uid(o.Obj)).ToHashSet();
        foreach (var (rt, obj) in all)
        {
            var refs = OwnerReferences(obj);
            if (refs.Count > 0 && !ObjectSemantics.IsDeleting(obj))
            {
                var live = refs.Where(r => alive.Contains(r)).ToList();
                if (live.Count == 0)
                {
                    StoreEventLoop.TryWrite(() => core.Writer.Delete(rt, KubeObject.Namespace(obj), KubeObject.Name(obj), new DeleteRequest("Background"), ctx));
                }
                else if (live.Count < refs.Count)
                {
                    RemoveOwners(rt, obj, refs.Except(live).ToHashSet(), ctx);
                }
            }

            if (!ObjectSemantics.IsDeleting(obj))
            {
                continue;
            }

            var finalizers = ObjectSemantics.Finalizers(obj);
            var uid = Uid(obj);
            var dependents = all.Where(d => OwnerReferences(d.Obj).Contains(uid)).ToList();
            if (finalizers.Contains("orphan"))
            {
                foreach (var (drt, dep) in dependents)
                {
                    RemoveOwners(drt, dep, new HashSet<string> { uid }, ctx);
                }

                DropFinalizer(rt, obj, "orphan", ctx);
            }
            else if (finalizers.Contains("foregroundDeletion"))
            {
                foreach (var (drt, dep) in dependents.Where(d => !ObjectSemantics.IsDeleting(d.Obj)))
                {
                    StoreEventLoop.TryWrite(() => core.Writer.Delete(drt, KubeObject.Namespace(dep), KubeObject.Name(dep), new DeleteRequest("Foreground"), ctx));
                }

                if (dependents.Count == 0)
                {
                    DropFinalizer(rt, obj, "foregroundDeletion", ctx);
                }
            }
        }
    }

    private void RemoveOwners(ResourceType rt, JsonObject obj, IReadOnlySet<string> uids, WriteContext ctx) =>
        StoreEventLoop.TryWrite(() => core.Writer.Update(rt, KubeObject.Namespace(obj), KubeObject.Name(obj), "", ctx, live =>
        {
            var meta = KubeObject.EnsureMetadata(live);
            if (meta["ownerReferences"] is JsonArray refs)
            {
                var kept = refs.Where(r => !uids.Contains((string?)r?["uid"] ?? "")).Select(r => r?.DeepClone()).ToArray();
                if (kept.Length == 0)
                {
                    meta.Remove("ownerReferences");
                }
                else
                {
                    meta["ownerReferences"] = new JsonArray(kept);
                }
            }

            return live;
        }));

    private void DropFinalizer(ResourceType rt, JsonObject obj, string finalizer, WriteContext ctx) =>
        StoreEventLoop.TryWrite(() => core.Writer.Update(rt, KubeObject.Namespace(obj), KubeObject.Name(obj), "", ctx, live =>
        {
            ObjectSemantics.SetFinalizers(live, ObjectSemantics.Finalizers(live).Where(f => f != finalizer).ToList());
            return live;
        }));

    private static string Uid(JsonObject obj) => (string?)(KubeObject.Metadata(obj)?["uid"] as JsonValue) ?? "";

    private static List<string> OwnerReferences(JsonObject obj) =>
        KubeObject.Metadata(obj)?["ownerReferences"] is JsonArray refs
            ? refs.OfType<JsonObject>().Select(r => (string?)(r["uid"] as JsonValue) ?? "").Where(u => u.Length > 0).ToList()
            : [];
}
