using System.Text.Json.Nodes;
using StageSet.Engine.Build;
using StageSet.Engine.Sources;
using StageSet.Engine.Substitution;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.Cli;

/// <summary>The parts of one stage the render needs.</summary>
internal sealed record StageDefinition(string Name, SourceRef Source, string? Path, IReadOnlyList<StagePatch> Patches, PostBuildSpec? PostBuild);

/// <summary>A StageSet read from a manifest file: its identity and stages in spec order.</summary>
internal sealed record StageSetDocument(string Name, string Namespace, IReadOnlyList<StageDefinition> Stages)
{
    public static StageSetDocument Load(string file, string? namespaceOverride)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"cannot read {file}: {e.Message}");
        }

        JsonObject? obj;
        try
        {
            obj = KubeYaml.ParseDocuments(text, file).OfType<JsonObject>()
                .FirstOrDefault(o => KubeObject.Kind(o) == "StageSet");
        }
        catch (KubeYamlException e)
        {
            throw new CliException(e.Message);
        }

        if (obj is null)
        {
            throw new CliException($"{file} contains no StageSet");
        }

        return FromObject(obj, file, namespaceOverride ?? (KubeObject.Namespace(obj) is { Length: > 0 } n ? n : "default"));
    }

    /// <summary>Reads a StageSet object; <paramref name="origin"/> names it in errors (a file, or the cluster object).</summary>
    public static StageSetDocument FromObject(JsonObject obj, string origin, string @namespace)
    {
        var stages = (obj["spec"]?["stages"] as JsonArray ?? []).Select((s, i) => ParseStage(s as JsonObject, i, origin)).ToList();
        return new StageSetDocument(KubeObject.Name(obj), @namespace, stages)
        {
            ServiceAccountName = Str(obj["spec"]?["serviceAccountName"]),
        };
    }

    /// <summary><c>spec.serviceAccountName</c>: the identity <c>--as-tenant</c> reads with.</summary>
    public string? ServiceAccountName { get; init; }

    private static StageDefinition ParseStage(JsonObject? stage, int index, string file)
    {
        var at = $"{file}: spec.stages[{index}]";
        var name = Str(stage?["name"]) ?? throw new CliException($"{at}.name is required");
        var source = stage?["sourceRef"] as JsonObject ?? throw new CliException($"{at}.sourceRef is required");
        var sourceRef = new SourceRef(Str(source["apiVersion"]), Str(source["kind"]),
            Str(source["name"]) ?? throw new CliException($"{at}.sourceRef.name is required"), Str(source["namespace"]));
        var patches = (stage!["patches"] as JsonArray ?? []).Select((p, i) => new StagePatch(
            Str(p?["patch"]) ?? throw new CliException($"{at}.patches[{i}].patch is required"),
            p?["target"] is JsonObject t
                ? new PatchTarget
                {
                    Group = Str(t["group"]),
                    Version = Str(t["version"]),
                    Kind = Str(t["kind"]),
                    Name = Str(t["name"]),
                    Namespace = Str(t["namespace"]),
                    LabelSelector = Str(t["labelSelector"]),
                    AnnotationSelector = Str(t["annotationSelector"]),
                }
                : null)).ToList();
        PostBuildSpec? postBuild = null;
        if (stage["postBuild"] is JsonObject pb)
        {
            postBuild = new PostBuildSpec
            {
                Substitute = (pb["substitute"] as JsonObject ?? []).ToDictionary(kv => kv.Key, kv => Str(kv.Value) ?? ""),
                SubstituteFrom = [.. (pb["substituteFrom"] as JsonArray ?? []).Select(r => new SubstituteReference(
                    Str(r?["kind"]) ?? "", Str(r?["name"]) ?? "", r?["optional"] is JsonValue o && o.TryGetValue<bool>(out var b) && b))],
            };
        }

        return new StageDefinition(name, sourceRef, Str(stage["path"]), patches, postBuild);
    }

    private static string? Str(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
}
