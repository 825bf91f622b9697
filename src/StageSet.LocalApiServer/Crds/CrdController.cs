using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Crds;

/// <summary>
/// What kube-apiserver's apiextensions controllers do (api-server.md §2.1): accept names and establish a new CRD in
/// a separate write, serve its resources from then on, and on deletion remove every custom resource (honouring
/// their finalizers) before letting the CRD go.
/// </summary>
internal sealed class CrdController(ServerCore core)
{
    public const string CleanupFinalizer = "customresourcecleanup.apiextensions.k8s.io";
    private static readonly ResourceType CrdType = BuiltinResources.All.First(r => r.Kind == "CustomResourceDefinition");

    public async Task RunAsync(CancellationToken token)
    {
        using var crds = core.Store.Subscribe(CrdType.StorageKey, null, core.Store.CurrentResourceVersion, out _);
        using var all = core.Store.Subscribe(ObjectStore.AllStorage, null, core.Store.CurrentResourceVersion, out _);
        await Task.Yield();
        var crdEvents = crds.Reader.WaitToReadAsync(token).AsTask();
        var anyEvents = all.Reader.WaitToReadAsync(token).AsTask();
        while (!token.IsCancellationRequested)
        {
            var done = await Task.WhenAny(crdEvents, anyEvents);
            if (done == crdEvents)
            {
                if (!await crdEvents)
                {
                    return;
                }

                while (crds.Reader.TryRead(out var e))
                {
                    await ReconcileAsync(e, token);
                }

                crdEvents = crds.Reader.WaitToReadAsync(token).AsTask();
            }
            else
            {
                if (!await anyEvents)
                {
                    return;
                }

                var deletions = false;
                while (all.Reader.TryRead(out var e))
                {
                    deletions |= e.Type == WatchEventType.Deleted && e.StorageKey != CrdType.StorageKey;
                }

                if (deletions)
                {
                    // A custom resource went away: a terminating CRD may now be able to finish.
                    foreach (var crd in core.Store.List(CrdType.StorageKey, null).Items)
                    {
                        var obj = crd.ToJsonObject();
                        if (ObjectSemantics.IsDeleting(obj))
                        {
                            Cleanup(obj);
                        }
                    }
                }

                anyEvents = all.Reader.WaitToReadAsync(token).AsTask();
            }
        }
    }

    private async Task ReconcileAsync(StoreEvent e, CancellationToken token)
    {
        var name = e.Object.Name;
        if (e.Type == WatchEventType.Deleted)
        {
            core.Registry.RemoveCustom(name);
            return;
        }

        var obj = e.Object.ToJsonObject();
        if (ObjectSemantics.IsDeleting(obj))
        {
            MarkTerminating(name);
            Cleanup(obj);
            return;
        }

        var definition = CrdDefinition.Read(obj);
        if (IsEstablished(obj))
        {
            core.Registry.SetCustom(name, definition.Resources());
            return;
        }

        if (core.Options.CrdEstablishDelay > TimeSpan.Zero)
        {
            await Task.Delay(core.Options.CrdEstablishDelay, core.Clock, token);
        }

        var conflict = NameConflict(definition);
        var now = ObjectSemantics.Timestamp(core.Clock.GetUtcNow());
        UpdateStatus(name, status =>
        {
            status["acceptedNames"] = conflict is null ? obj["spec"]?["names"]?.DeepClone() : new JsonObject { ["plural"] = "", ["kind"] = "" };
            var conditions = new JsonArray(
                Condition("NamesAccepted", conflict is null ? "True" : "False", conflict is null ? "NoConflicts" : "NotAccepted",
                    conflict ?? "no conflicts found", now));
            if (conflict is null)
            {
                conditions.Add(Condition("Established", "True", "InitialNamesAccepted", "the initial names have been accepted", now));
            }

            status["conditions"] = conditions;
        });
        if (conflict is null)
        {
            core.Registry.SetCustom(name, definition.Resources());
        }
    }

    private string? NameConflict(CrdDefinition definition)
    {
        foreach (var other in core.Store.List(CrdType.StorageKey, null).Items)
        {
            var o = other.ToJsonObject();
            if (other.Name == definition.Name || !IsEstablished(o))
            {
                continue;
            }

            var d = CrdDefinition.Read(o);
            if (d.Group == definition.Group && d.Plural == definition.Plural)
            {
                return $"\"{definition.Plural}\" is already in use";
            }

            if (d.Group == definition.Group && d.Kind == definition.Kind)
            {
                return $"\"{definition.Kind}\" is already in use";
            }
        }

        return null;
    }

    private void MarkTerminating(string name)
    {
        var now = ObjectSemantics.Timestamp(core.Clock.GetUtcNow());
        UpdateStatus(name, status =>
        {
            var conditions = status["conditions"] as JsonArray ?? new JsonArray();
            if (conditions.OfType<JsonObject>().Any(c => (string?)c["type"] == "Terminating"))
            {
                return;
            }

            conditions.Add(Condition("Terminating", "True", "InstanceDeletionInProgress", "CustomResource deletion is in progress", now));
            status["conditions"] = conditions;
        });
    }

    /// <summary>Deletes remaining custom resources; once none are left, drops the cleanup finalizer so the CRD goes.</summary>
    private void Cleanup(JsonObject crd)
    {
        var definition = CrdDefinition.Read(crd);
        var rt = definition.Resources().FirstOrDefault();
        var remaining = 0;
        if (rt is not null)
        {
            foreach (var cr in core.Store.List(rt.StorageKey, null).Items)
            {
                remaining++;
                if (!ObjectSemantics.IsDeleting(cr.ToJsonObject()))
                {
                    TryWrite(() => core.Writer.Delete(rt, cr.Namespace, cr.Name, new DeleteRequest("Background"), core.SystemContext("kube-apiserver")));
                }
            }

            remaining = core.Store.List(rt.StorageKey, null).Items.Count();
        }

        if (remaining > 0)
        {
            return;
        }

        TryWrite(() => core.Writer.Update(CrdType, "", definition.Name, "", core.SystemContext("kube-apiserver"), live =>
        {
            ObjectSemantics.SetFinalizers(live, ObjectSemantics.Finalizers(live).Where(f => f != CleanupFinalizer).ToList());
            return live;
        }));
    }

    private void UpdateStatus(string name, Action<JsonObject> mutate) =>
        TryWrite(() => core.Writer.Update(CrdType, "", name, "status", core.SystemContext("kube-apiserver"), live =>
        {
            if (live["status"] is not JsonObject status)
            {
                status = new JsonObject();
                live["status"] = status;
            }

            mutate(status);
            return live;
        }));

    private static void TryWrite(Action write)
    {
        try
        {
            write();
        }
        catch (Http.ApiError)
        {
            // The object changed or went away meanwhile; the next event reconciles again.
        }
    }

    public static bool IsEstablished(JsonObject crd) =>
        crd["status"]?["conditions"] is JsonArray conditions
        && conditions.OfType<JsonObject>().Any(c => (string?)c["type"] == "Established" && (string?)c["status"] == "True");

    private static JsonObject Condition(string type, string status, string reason, string message, string now) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastTransitionTime"] = now,
        ["reason"] = reason,
        ["message"] = message,
    };
}
