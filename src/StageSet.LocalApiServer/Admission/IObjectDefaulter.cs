using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.LocalApiServer.Admission;

/// <summary>Fills in the defaults kube-apiserver sets on built-in kinds (api-server.md §9.1), in place.</summary>
public interface IObjectDefaulter
{
    void Default(JsonObject obj, GroupVersionKind gvk, IAllocationContext ctx);
}

/// <summary>Server-owned allocators that defaulting needs (Service cluster IPs and node ports).</summary>
public interface IAllocationContext
{
    /// <summary>A free address from the service range (10.0.0.0/24).</summary>
    string AllocateClusterIp();

    /// <summary>A free port from 30000–32767.</summary>
    int AllocateNodePort();
}
