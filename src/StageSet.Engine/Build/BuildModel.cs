using System.Text.Json.Nodes;
using StageSet.Artifacts;

namespace StageSet.Engine.Build;

/// <summary>A stage's kustomize-style patch: strategic merge or JSON 6902 (kustomize tells them apart).</summary>
public sealed record StagePatch(string Patch, PatchTarget? Target = null);

/// <summary>kustomize's patch selector; <see cref="Name"/> and <see cref="Namespace"/> are anchored regexes.</summary>
public sealed record PatchTarget
{
    public string? Group { get; init; }

    public string? Version { get; init; }

    public string? Kind { get; init; }

    public string? Name { get; init; }

    public string? Namespace { get; init; }

    public string? LabelSelector { get; init; }

    public string? AnnotationSelector { get; init; }
}

/// <summary>
/// Everything a stage build depends on. <see cref="ArtifactDigest"/> identifies the tree's content for the build
/// cache; a tree without one (a local directory) is never cached.
/// </summary>
public sealed record BuildRequest(ArtifactTree Tree, string? Path)
{
    public IReadOnlyList<StagePatch> Patches { get; init; } = [];

    /// <summary>The resolved postBuild variables; empty means substitution is skipped entirely.</summary>
    public IReadOnlyDictionary<string, string> Variables { get; init; } = new Dictionary<string, string>();

    public string? ArtifactDigest { get; init; }
}

/// <summary>The rendered objects of one stage, in kustomize's output order.</summary>
public sealed record BuildResult(IReadOnlyList<JsonObject> Objects);

/// <summary>A build failure with a message a user can act on (it names the file, path or expression).</summary>
public sealed class BuildException(string message, Exception? inner = null) : Exception(message, inner);
