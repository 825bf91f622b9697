using System.CommandLine;
using System.Text.Json.Nodes;
using StageSet.Engine.Build;
using StageSet.Engine.Substitution;
using StageSet.Manifests;

namespace StageSet.Cli;

/// <summary>
/// <c>build</c>: renders stages exactly as the controller would (postBuild variables, build, normalisation) and
/// prints one YAML stream, Secret values masked unless <c>--show-secrets</c>.
/// </summary>
internal sealed class BuildCommand
{
    private readonly Argument<string?> _name = new("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "StageSet to render from the cluster." };
    private readonly Option<string?> _file = new("--filename", "-f") { Description = "Render the StageSet in this manifest file (offline)." };
    private readonly Option<string[]> _stages = new("--stage") { Description = "Restrict to these stages (repeatable, comma-separated).", AllowMultipleArgumentsPerToken = false };
    private readonly Option<string[]> _sourceDirs = new("--source-dir") { Description = "[STAGE=]PATH: read a local tree instead of fetching (repeatable)." };
    private readonly Option<bool> _showSecrets = new("--show-secrets") { Description = "Do not mask Secret values." };
    private readonly Option<bool> _asTenant = new("--as-tenant") { Description = "Read the SOPS key Secret as the StageSet's service account." };
    private readonly Option<bool> _noCrossNamespace = new("--no-cross-namespace-refs") { Description = "Refuse sources in other namespaces, like the controller flag." };

    public Argument<string?> NameArgument => _name;

    public Command Create(GlobalOptions globals, BuildOptions buildOptions)
    {
        var command = new Command("build", "Render a StageSet's stages to YAML as the controller would.")
        {
            _name, _file, _stages, _sourceDirs, _showSecrets, _asTenant, _noCrossNamespace,
        };
        command.SetAction((parse, ct) => RunAsync(parse, globals, buildOptions, ct));
        return command;
    }

    private async Task<int> RunAsync(ParseResult parse, GlobalOptions globals, BuildOptions buildOptions, CancellationToken ct)
    {
        var file = parse.GetValue(_file);
        var name = parse.GetValue(_name);
        if (file is not null && name is not null)
        {
            throw new CliException("NAME and -f cannot be combined", ExitCodes.Usage);
        }

        var sourceDirs = SourceDirs.Parse(parse.GetValue(_sourceDirs) ?? []);
        List<JsonObject> output;
        if (file is not null)
        {
            var document = StageSetDocument.Load(file, parse.GetValue(globals.Namespace));
            output = await RenderAsync(document, Select(document, parse.GetValue(_stages) ?? []), new LocalRenderSource(sourceDirs),
                new ManifestBuilder(buildOptions), ct).ConfigureAwait(false);
        }
        else if (name is not null)
        {
            output = await RenderFromClusterAsync(parse, globals, name, sourceDirs, buildOptions, ct).ConfigureAwait(false);
        }
        else
        {
            throw new CliException("a StageSet NAME or -f FILE is required", ExitCodes.Usage);
        }

        if (!parse.GetValue(_showSecrets))
        {
            var masker = new SecretMasker();
            output.ForEach(masker.Mask);
        }

        await parse.InvocationConfiguration.Output.WriteAsync(KubeYaml.SerializeStream(output)).ConfigureAwait(false);
        return ExitCodes.Success;
    }

    /// <summary>The controller's path: the StageSet read from the cluster, sources resolved and fetched, then built.</summary>
    private async Task<List<JsonObject>> RenderFromClusterAsync(ParseResult parse, GlobalOptions globals, string name,
        SourceDirs sourceDirs, BuildOptions buildOptions, CancellationToken ct)
    {
        var connection = ClusterConnection.Resolve(parse, globals);
        using var cluster = connection.Connect();
        var obj = await cluster.Client.GetAsync(GetCommand.StageSetKind, connection.Namespace, name, ct).ConfigureAwait(false)
                  ?? throw new CliException($"StageSet \"{name}\" not found in namespace \"{connection.Namespace}\"");
        var document = StageSetDocument.FromObject(obj, $"StageSet {connection.Namespace}/{name}", connection.Namespace);
        using var source = new ClusterRenderSource(cluster.Client, document, sourceDirs, parse.GetValue(_asTenant),
            parse.GetValue(_noCrossNamespace));
        return await RenderAsync(document, Select(document, parse.GetValue(_stages) ?? []), source, new ManifestBuilder(buildOptions), ct)
            .ConfigureAwait(false);
    }

    internal static async Task<List<JsonObject>> RenderAsync(StageSetDocument document, IReadOnlyList<StageDefinition> stages,
        IRenderSource source, ManifestBuilder builder, CancellationToken ct)
    {
        var objects = new List<JsonObject>();
        foreach (var stage in stages)
        {
            var tree = await source.GetTreeAsync(stage, ct).ConfigureAwait(false);
            IReadOnlyDictionary<string, string> vars;
            try
            {
                vars = await PostBuildVariables.ResolveAsync(stage.PostBuild, source.Variables, document.Namespace, ct)
                    .ConfigureAwait(false);
            }
            catch (VariableResolutionException e)
            {
                throw new CliException($"stage \"{stage.Name}\" resolve postBuild variables: {e.Message}");
            }

            try
            {
                var result = await builder.BuildAsync(new BuildRequest(tree, stage.Path) { Patches = stage.Patches, Variables = vars }, ct)
                    .ConfigureAwait(false);
                objects.AddRange(result.Objects);
            }
            catch (BuildException e)
            {
                throw new CliException($"stage \"{stage.Name}\" build: {e.Message}");
            }
        }

        return objects;
    }

    private static List<StageDefinition> Select(StageSetDocument document, IEnumerable<string> requested)
    {
        var names = requested.SelectMany(r => r.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        if (names.Count == 0)
        {
            return [.. document.Stages];
        }

        foreach (var name in names.Where(n => document.Stages.All(s => s.Name != n)))
        {
            throw new CliException($"stage \"{name}\" not found in StageSet {document.Namespace}/{document.Name}");
        }

        return [.. document.Stages.Where(s => names.Contains(s.Name))];
    }
}
