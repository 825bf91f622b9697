using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Emulation;

/// <summary>ServiceAccount admission and the root-CA publisher (opt-in): every namespace gets a <c>default</c> ServiceAccount and <c>kube-root-ca.crt</c>.</summary>
internal sealed class DefaultServiceAccounts(ServerCore core)
{
    public void SeedExisting()
    {
        foreach (var ns in core.Store.List(Bootstrap.Builtin("namespaces").StorageKey, null).Items)
        {
            Ensure(ns.Name);
        }
    }

    public Task RunAsync(CancellationToken token) => StoreEventLoop.RunAsync(core.Store, (batch, _) =>
    {
        foreach (var e in batch.Where(e => e.Type == WatchEventType.Added && e.StorageKey == "namespaces"))
        {
            Ensure(e.Object.Name);
        }

        return Task.CompletedTask;
    }, token);

    private void Ensure(string ns)
    {
        var ctx = core.SystemContext("kube-controller-manager");
        if (core.Store.Get("serviceaccounts", ns, "default") is null)
        {
            StoreEventLoop.TryWrite(() => core.Writer.Create(Bootstrap.Builtin("serviceaccounts"), new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ServiceAccount",
                ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = ns },
            }, ctx));
        }

        if (core.Store.Get("configmaps", ns, "kube-root-ca.crt") is null)
        {
            StoreEventLoop.TryWrite(() => core.Writer.Create(Bootstrap.Builtin("configmaps"), new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "ConfigMap",
                ["metadata"] = new JsonObject
                {
                    ["name"] = "kube-root-ca.crt",
                    ["namespace"] = ns,
                    ["annotations"] = new JsonObject { ["kubernetes.io/description"] = "Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters." },
                },
                ["data"] = new JsonObject { ["ca.crt"] = core.Ca.CertificatePem },
            }, ctx));
        }

    }
}
