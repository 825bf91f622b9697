using System.Text.Json.Nodes;
using StageSet.Artifacts;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.Engine.Build;

/// <summary>Reading, generating and extending kustomization files inside a materialised artifact.</summary>
internal static class Kustomization
{
    public static readonly string[] FileNames = ["kustomization.yaml", "kustomization.yml", "Kustomization"];

    /// <summary>The kustomization file of a directory (relative path), or null.</summary>
    public static string? FileIn(ISet<string> files, string dir) =>
        FileNames.Select(n => BuildPath.Join(dir, n)).FirstOrDefault(files.Contains);

    public static JsonObject Load(string root, string relativeFile)
    {
        var full = Path.Combine(root, relativeFile);
        try
        {
            return KubeYaml.Parse(File.ReadAllText(full), relativeFile) as JsonObject ?? new JsonObject();
        }
        catch (KubeYamlException e)
        {
            throw new BuildException($"failed to parse kustomization {relativeFile}: {e.Message}", e);
        }
    }

    public static void Save(string root, string relativeFile, JsonObject kustomization) =>
        File.WriteAllText(Path.Combine(root, relativeFile), KubeYaml.Serialize(kustomization));

    /// <summary>
    /// Flux's generator (§4 step 5): every <c>.yaml</c>/<c>.yml</c> file below the build directory is a resource,
    /// except that a subdirectory holding a kustomization is one resource and is not descended.
    /// </summary>
    public static JsonObject Generate(ArtifactTree tree, string dir, ISet<string> files)
    {
        var resources = new List<string>();
        var nested = new HashSet<string>(StringComparer.Ordinal);
        foreach (var file in BuildPath.FilesUnder(tree, dir))
        {
            var rel = dir.Length == 0 ? file : file[(dir.Length + 1)..];
            var sub = NestedKustomizationDir(files, dir, rel);
            if (sub is not null)
            {
                if (nested.Add(sub))
                {
                    resources.Add(sub);
                }

                continue;
            }

            if (rel.EndsWith(".yaml", StringComparison.Ordinal) || rel.EndsWith(".yml", StringComparison.Ordinal))
            {
                CheckDecodes(tree, file);
                resources.Add(rel);
            }
        }

        return new JsonObject
        {
            ["apiVersion"] = "kustomize.config.k8s.io/v1beta1",
            ["kind"] = "Kustomization",
            ["resources"] = new JsonArray([.. resources.Select(r => (JsonNode)r)]),
        };
    }

    /// <summary>The outermost subdirectory (relative to the build dir) on the way to a file that has a kustomization.</summary>
    public static string? NestedKustomizationDir(ISet<string> files, string dir, string rel)
    {
        var segments = rel.Split('/');
        for (var i = 1; i < segments.Length; i++)
        {
            var sub = string.Join('/', segments[..i]);
            if (FileIn(files, BuildPath.Join(dir, sub)) is not null)
            {
                return sub;
            }
        }

        return null;
    }

    public static IReadOnlyList<JsonNode> Decode(ArtifactTree tree, string file)
    {
        try
        {
            return KubeYaml.ParseDocuments(File.ReadAllText(tree.FullPath(file)), file);
        }
        catch (KubeYamlException e)
        {
            throw new BuildException($"failed to decode Kubernetes YAML from {file}: {e.Message}", e);
        }
    }

    private static void CheckDecodes(ArtifactTree tree, string file) => Decode(tree, file);

    /// <summary>§4 step 6: the stage's patches appended to the kustomization's <c>patches</c>, selector field by field.</summary>
    public static void AppendPatches(JsonObject kustomization, IReadOnlyList<StagePatch> patches)
    {
        if (patches.Count == 0)
        {
            return;
        }

        if (kustomization["patches"] is not JsonArray list)
        {
            list = new JsonArray();
            kustomization["patches"] = list;
        }

        foreach (var patch in patches)
        {
            var entry = new JsonObject { ["patch"] = patch.Patch };
            if (patch.Target is { } t)
            {
                var target = new JsonObject();
                Set(target, "group", t.Group);
                Set(target, "version", t.Version);
                Set(target, "kind", t.Kind);
                Set(target, "name", t.Name);
                Set(target, "namespace", t.Namespace);
                Set(target, "labelSelector", t.LabelSelector);
                Set(target, "annotationSelector", t.AnnotationSelector);
                entry["target"] = target;
            }

            list.Add(entry);
        }
    }

    private static void Set(JsonObject target, string key, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            target[key] = value;
        }
    }
}
