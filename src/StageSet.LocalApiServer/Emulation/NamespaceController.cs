using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Emulation;

/// <summary>
/// The namespace controller (opt-in, api-server.md §9.2): empties a Terminating namespace (finalizers honoured),
/// then drops its <c>kubernetes</c> finalizer so it disappears.
/// </summary>
internal sealed class NamespaceController(ServerCore core)
{
    public Task RunAsync(CancellationToken token) => StoreEventLoop.RunAsync(core.Store, (_, _) =>
    {
        foreach (var ns in core.Store.List(Bootstrap.Builtin("namespaces").StorageKey, null).Items)
        {
            var obj = ns.ToJsonObject();
            if (ObjectSemantics.IsDeleting(obj))
            {
                Drain(ns.Name);
            }
        }

        return Task.CompletedTask;
    }, token);

    private void Drain(string ns)
    {
        var ctx = core.SystemContext("namespace-controller");
        var remaining = 0;
        foreach (var rt in core.Registry.Current.Resources.Where(r => r.Namespaced && !r.IsReview).DistinctBy(r => r.StorageKey))
        {
            foreach (var obj in core.Store.List(rt.StorageKey, ns).Items)
            {
                remaining++;
                if (!ObjectSemantics.IsDeleting(obj.ToJsonObject()))
                {
                    StoreEventLoop.TryWrite(() => core.Writer.Delete(rt, ns, obj.Name, new DeleteRequest("Background"), ctx));
                }
            }
        }

        if (remaining > 0 && core.Registry.Current.Resources.Where(r => r.Namespaced && !r.IsReview).DistinctBy(r => r.StorageKey)
                .Any(rt => core.Store.List(rt.StorageKey, ns).Items.Any()))
        {
            return;
        }

        StoreEventLoop.TryWrite(() => core.Writer.Update(Bootstrap.Builtin("namespaces"), "", ns, "finalize", ctx, live =>
        {
            if (live["spec"] is JsonObject spec)
            {
                spec["finalizers"] = new JsonArray();
            }

            return live;
        }));
    }
}
