using System.Text.Json.Nodes;
using StageSet.Artifacts;
using StageSet.Engine.Substitution;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.Engine.Build;

/// <summary>How stages are built.</summary>
public sealed record BuildOptions
{
    /// <summary>A <c>kustomize</c> or <c>kubectl</c> executable; null picks one from PATH.</summary>
    public string? KustomizePath { get; init; }

    /// <summary>Where private build directories are created.</summary>
    public string? TempDirectory { get; init; }

    /// <summary>Reuse of earlier renders; null disables caching.</summary>
    public BuildCache? Cache { get; init; }
}

/// <summary>
/// Turns an artifact into a stage's objects (flux-source-contract.md §4-5). A directory without a kustomization and
/// without stage patches is read natively; anything else goes through the real kustomize engine in a private copy
/// of the artifact root, after <see cref="KustomizeGuard"/> has refused what the contract disables. Stage patches
/// are appended to the (generated or existing) kustomization as Flux does, so both kinds of tree give kustomize's
/// result.
/// </summary>
public sealed class ManifestBuilder(BuildOptions? options = null)
{
    private readonly BuildOptions _options = options ?? new BuildOptions();
    private readonly Lazy<KustomizeRunner> _kustomize = new(() => new KustomizeRunner(options?.KustomizePath));

    public async Task<BuildResult> BuildAsync(BuildRequest request, CancellationToken ct)
    {
        var key = _options.Cache is null ? null : BuildCache.KeyOf(request);
        if (key is not null && _options.Cache!.TryGet(key, out var cached))
        {
            return new BuildResult(cached);
        }

        var tree = request.Tree;
        var dir = BuildPath.Resolve(request.Path, tree);
        if (!BuildPath.FilesUnder(tree, dir).Any(IsManifestFile))
        {
            throw new BuildException("artifact contains no .yaml, .yml, or .json files");
        }

        var files = new HashSet<string>(tree.Files, StringComparer.Ordinal);
        var resources = ResourceFiles(tree, dir, files, out var needsKustomize);
        var stream = needsKustomize || request.Patches.Count > 0
            ? await BuildWithKustomizeAsync(request, dir, ct).ConfigureAwait(false)
            : ReadNatively(tree, resources, request.Variables.Count > 0);

        var objects = request.Variables.Count > 0
            ? Parse(Substitute(stream.Text!, request.Variables))
            : stream.Objects ?? Parse(stream.Text!);
        var result = ManifestNormalizer.Normalize(objects, "rendered manifests");
        if (key is not null)
        {
            _options.Cache!.Put(key, result);
        }

        return new BuildResult(result);
    }

    /// <summary>
    /// The resource files of a directory without a kustomization (JSON renamed per §4 step 4), or none when
    /// kustomize must run because the directory or one of its subdirectories has a kustomization.
    /// </summary>
    private static List<(string File, string Logical)> ResourceFiles(ArtifactTree tree, string dir, ISet<string> files,
        out bool needsKustomize)
    {
        needsKustomize = Kustomization.FileIn(files, dir) is not null;
        var result = new List<(string, string)>();
        if (needsKustomize)
        {
            return result;
        }

        foreach (var file in BuildPath.FilesUnder(tree, dir))
        {
            var rel = dir.Length == 0 ? file : file[(dir.Length + 1)..];
            if (Kustomization.NestedKustomizationDir(files, dir, rel) is not null)
            {
                needsKustomize = true;
                return [];
            }

            if (JsonRename(files, file, rel) is { } renamed)
            {
                result.Add((file, renamed));
            }
            else if (rel.EndsWith(".yaml", StringComparison.Ordinal) || rel.EndsWith(".yml", StringComparison.Ordinal))
            {
                result.Add((file, file));
            }
        }

        return result;
    }

    /// <summary>§4 step 4: a <c>*.json</c> directly in the build dir counts as <c>*.yaml</c> unless that file exists.</summary>
    private static string? JsonRename(ISet<string> files, string file, string rel)
    {
        if (rel.Contains('/', StringComparison.Ordinal) || !rel.EndsWith(".json", StringComparison.Ordinal))
        {
            return null;
        }

        var yaml = file[..^".json".Length] + ".yaml";
        return files.Contains(yaml) ? null : yaml;
    }

    private static Rendered ReadNatively(ArtifactTree tree, List<(string File, string Logical)> resources, bool asText)
    {
        var objects = new List<JsonObject>();
        var seen = new Dictionary<(GroupVersionKind, string, string), string>();
        foreach (var (file, logical) in resources)
        {
            var flat = new List<JsonObject>();
            foreach (var doc in Kustomization.Decode(tree, file))
            {
                ManifestNormalizer.Flatten(doc, logical, flat);
            }

            foreach (var obj in flat)
            {
                var id = (KubeObject.Gvk(obj), KubeObject.Namespace(obj), KubeObject.Name(obj));
                if (KubeObject.Kind(obj).Length == 0)
                {
                    throw new BuildException($"failed to decode Kubernetes YAML from {logical}: an object has no kind");
                }

                if (!seen.TryAdd(id, logical))
                {
                    throw new BuildException(
                        $"object {KubeObject.Kind(obj)} {Describe(obj)} is defined twice ({seen[id]} and {logical})");
                }

                objects.Add(obj);
            }
        }

        var sorted = KustomizeOrder.Sort(objects);
        // Substitution works on text, exactly the YAML kustomize would have printed for these objects.
        return asText ? new Rendered(KubeYaml.SerializeStream(sorted), null) : new Rendered(null, [.. sorted]);
    }

    private async Task<Rendered> BuildWithKustomizeAsync(BuildRequest request, string dir, CancellationToken ct)
    {
        var tree = request.Tree;
        var work = Path.Combine(_options.TempDirectory ?? Path.GetTempPath(), "stageset-build-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = Materialize(tree, work);
            foreach (var file in BuildPath.FilesUnder(tree, dir).ToList())
            {
                var rel = dir.Length == 0 ? file : file[(dir.Length + 1)..];
                if (Kustomization.FileIn(files, dir) is null && JsonRename(files, file, rel) is { } renamed)
                {
                    File.Move(Path.Combine(work, file), Path.Combine(work, renamed));
                    files.Remove(file);
                    files.Add(renamed);
                }
            }

            var kustomizationFile = Kustomization.FileIn(files, dir);
            JsonObject kustomization;
            if (kustomizationFile is null)
            {
                kustomization = Kustomization.Generate(new ArtifactTree(work, [.. files.Order(StringComparer.Ordinal)]), dir, files);
                kustomizationFile = BuildPath.Join(dir, "kustomization.yaml");
                files.Add(kustomizationFile);
            }
            else
            {
                kustomization = Kustomization.Load(work, kustomizationFile);
            }

            new KustomizeGuard(work, files).Inspect(dir, kustomization);
            Kustomization.AppendPatches(kustomization, request.Patches);
            if (request.Patches.Count > 0 || !File.Exists(Path.Combine(work, kustomizationFile)))
            {
                Kustomization.Save(work, kustomizationFile, kustomization);
            }

            var output = await _kustomize.Value.BuildAsync(Path.Combine(work, dir), ct).ConfigureAwait(false);
            return new Rendered(output, null);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>§4 step 1: a private copy of exactly the artifact's files (dirs 0750, files 0600).</summary>
    private static HashSet<string> Materialize(ArtifactTree tree, string work)
    {
        CreateDirectory(work);
        foreach (var file in tree.Files)
        {
            var target = Path.Combine(work, file);
            CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(tree.FullPath(file), target);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(target, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        return new HashSet<string>(tree.Files, StringComparer.Ordinal);
    }

    private static void CreateDirectory(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else
        {
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
                                            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        }
    }

    private static string Substitute(string text, IReadOnlyDictionary<string, string> variables)
    {
        try
        {
            return Envsubst.Evaluate(text, variables);
        }
        catch (SubstitutionException e)
        {
            throw new BuildException(e.Message, e);
        }
    }

    private static IReadOnlyList<JsonNode> Parse(string text)
    {
        try
        {
            return KubeYaml.ParseDocuments(text, "rendered manifests");
        }
        catch (KubeYamlException e)
        {
            throw new BuildException($"failed to parse the rendered manifests: {e.Message}", e);
        }
    }

    private static bool IsManifestFile(string file) =>
        file.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.EndsWith(".yml", StringComparison.OrdinalIgnoreCase)
                                                                   || file.EndsWith(".json", StringComparison.OrdinalIgnoreCase);

    private static string Describe(JsonObject obj) =>
        KubeObject.Namespace(obj).Length == 0 ? KubeObject.Name(obj) : KubeObject.Namespace(obj) + "/" + KubeObject.Name(obj);

    private sealed record Rendered(string? Text, List<JsonNode>? Objects);
}
