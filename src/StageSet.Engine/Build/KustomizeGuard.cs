using System.Text.Json.Nodes;
using StageSet.Artifacts;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.Engine.Build;

/// <summary>
/// Refuses, before kustomize runs, everything the contract disables (§4 step 7): remote resources, Helm inflation,
/// exec/container/KRM-function plugins, and any file reference leaving the artifact root. Every kustomization
/// reachable from the build directory is inspected.
/// </summary>
internal sealed class KustomizeGuard(string root, ISet<string> files)
{
    private static readonly string[] KustomizationRefs = ["resources", "components", "bases"];
    private static readonly string[] PluginRefs = ["generators", "transformers", "validators"];
    private static readonly string[] FileListRefs = ["crds", "configurations"];
    private static readonly string[] FunctionAnnotations = ["config.kubernetes.io/function", "config.k8s.io/function"];

    private readonly HashSet<string> _visited = new(StringComparer.Ordinal);

    public void Inspect(string dir, JsonObject? kustomization = null)
    {
        if (!_visited.Add(dir))
        {
            return;
        }

        var file = Kustomization.FileIn(files, dir);
        if (file is null)
        {
            return;
        }

        var k = kustomization ?? Kustomization.Load(root, file);
        if (k["helmCharts"] is JsonArray { Count: > 0 } || k["helmChartInflationGenerator"] is JsonArray { Count: > 0 })
        {
            throw new BuildException($"kustomization {file}: helmCharts are not allowed (Helm chart inflation is disabled)");
        }

        foreach (var key in KustomizationRefs)
        {
            foreach (var entry in Strings(k[key]))
            {
                var target = Local(file, dir, key, entry);
                if (IsDirectory(target))
                {
                    Inspect(target);
                }
            }
        }

        foreach (var key in PluginRefs)
        {
            if (k[key] is not JsonArray plugins)
            {
                continue;
            }

            foreach (var plugin in plugins)
            {
                if (plugin is JsonObject inline)
                {
                    CheckBuiltin(file, inline);
                }
                else if (plugin is JsonValue v && v.TryGetValue<string>(out var entry))
                {
                    CheckPluginReference(file, dir, key, entry);
                }
            }
        }

        foreach (var key in FileListRefs)
        {
            foreach (var entry in Strings(k[key]))
            {
                Local(file, dir, key, entry);
            }
        }

        CheckPatchPaths(file, dir, k);
        CheckGeneratorSources(file, dir, k["configMapGenerator"]);
        CheckGeneratorSources(file, dir, k["secretGenerator"]);
        if (k["openapi"]?["path"] is JsonValue openapi && openapi.TryGetValue<string>(out var openapiPath))
        {
            Local(file, dir, "openapi", openapiPath);
        }
    }

    private void CheckPluginReference(string file, string dir, string key, string entry)
    {
        var target = Local(file, dir, key, entry);
        if (IsDirectory(target))
        {
            Inspect(target);
            var sub = Kustomization.FileIn(files, target)!;
            foreach (var resource in Strings(Kustomization.Load(root, sub)["resources"]))
            {
                var resourcePath = ArtifactPath.Clean(BuildPath.Join(target, resource));
                if (!IsDirectory(resourcePath))
                {
                    CheckPluginFile(sub, resourcePath);
                }
            }
        }
        else
        {
            CheckPluginFile(file, target);
        }
    }

    private void CheckPluginFile(string file, string target)
    {
        IReadOnlyList<JsonNode> docs;
        try
        {
            docs = KubeYaml.ParseDocuments(File.ReadAllText(Path.Combine(root, target)), target);
        }
        catch (KubeYamlException e)
        {
            throw new BuildException($"kustomization {file}: failed to parse plugin configuration {target}: {e.Message}", e);
        }

        foreach (var doc in docs)
        {
            if (doc is JsonObject obj)
            {
                CheckBuiltin(file, obj);
            }
        }
    }

    private static void CheckBuiltin(string file, JsonObject plugin)
    {
        var isFunction = FunctionAnnotations.Any(a => KubeObject.Annotation(plugin, a) is not null);
        if (KubeObject.ApiVersion(plugin) != "builtin" || isFunction)
        {
            throw new BuildException(
                $"kustomization {file}: plugin {KubeObject.Kind(plugin)} \"{KubeObject.Name(plugin)}\" ({KubeObject.ApiVersion(plugin)}) is not a built-in; exec, container and KRM function plugins are not allowed");
        }
    }

    private void CheckPatchPaths(string file, string dir, JsonObject k)
    {
        foreach (var key in new[] { "patches", "patchesJson6902", "replacements" })
        {
            if (k[key] is JsonArray list)
            {
                foreach (var entry in list)
                {
                    if (entry?["path"] is JsonValue v && v.TryGetValue<string>(out var path))
                    {
                        Local(file, dir, key, path);
                    }
                }
            }
        }

        // patchesStrategicMerge mixes file names and inline patches; only single-line entries are file names.
        foreach (var entry in Strings(k["patchesStrategicMerge"]).Where(e => !e.Contains('\n', StringComparison.Ordinal)))
        {
            Local(file, dir, "patchesStrategicMerge", entry);
        }
    }

    private void CheckGeneratorSources(string file, string dir, JsonNode? generators)
    {
        if (generators is not JsonArray list)
        {
            return;
        }

        foreach (var generator in list)
        {
            foreach (var entry in Strings(generator?["files"]))
            {
                var eq = entry.IndexOf('=', StringComparison.Ordinal);
                Local(file, dir, "files", eq >= 0 ? entry[(eq + 1)..] : entry);
            }

            foreach (var entry in Strings(generator?["envs"]))
            {
                Local(file, dir, "envs", entry);
            }

            if (generator?["env"] is JsonValue env && env.TryGetValue<string>(out var envPath))
            {
                Local(file, dir, "env", envPath);
            }
        }
    }

    /// <summary>The artifact-relative path an entry names; refused when remote, absolute, escaping or missing.</summary>
    private string Local(string file, string dir, string key, string entry)
    {
        if (entry.Contains("://", StringComparison.Ordinal) || entry.StartsWith("git@", StringComparison.Ordinal)
                                                             || entry.Contains("?ref=", StringComparison.Ordinal))
        {
            throw new BuildException($"kustomization {file}: {key} entry \"{entry}\" is remote; remote resources are not allowed");
        }

        if (entry.StartsWith('/'))
        {
            throw new BuildException($"kustomization {file}: {key} entry \"{entry}\" is an absolute path outside the artifact root");
        }

        var path = ArtifactPath.Clean(BuildPath.Join(dir, entry));
        if (path == ".." || path.StartsWith("../", StringComparison.Ordinal))
        {
            throw new BuildException($"kustomization {file}: {key} entry \"{entry}\" escapes the artifact root");
        }

        if (path == ".")
        {
            return "";
        }

        if (!files.Contains(path) && !IsDirectory(path))
        {
            throw new BuildException(
                $"kustomization {file}: {key} entry \"{entry}\" is not a file or directory in the artifact (remote resources are not allowed)");
        }

        return path;
    }

    private bool IsDirectory(string path) =>
        path.Length == 0 || files.Any(f => f.StartsWith(path + "/", StringComparison.Ordinal));

    private static IEnumerable<string> Strings(JsonNode? node) =>
        node is JsonArray array
            ? array.OfType<JsonValue>().Select(v => v.TryGetValue<string>(out var s) ? s : null).OfType<string>()
            : [];
}
