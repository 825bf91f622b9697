using System.Text.Json.Nodes;
using StageSet.Manifests;

namespace StageSet.Engine.Tests.Health;

/// <summary>
/// The YAML manifests inside the kstatus vectors, read as upstream reads them (sigs.k8s.io/yaml YAMLToJSON, which
/// tolerates the repeated key in case depNotProgressing, hence not strict).
/// </summary>
internal static class VectorYaml
{
    public static JsonObject Parse(string yaml) =>
        KubeYaml.Parse(yaml, "kstatus vector", strict: false) as JsonObject
        ?? throw new InvalidOperationException("manifest is not a mapping");
}
