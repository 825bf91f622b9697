using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using StageSet.Artifacts;
using StageSet.Engine.Substitution;

namespace StageSet.Cli;

/// <summary>
/// Where a render gets a stage's files and its substitution inputs. The offline form (<c>-f</c> with
/// <c>--source-dir</c>) reads local trees; the cluster form (<c>build NAME</c>) will resolve and fetch artifacts.
/// </summary>
internal interface IRenderSource
{
    Task<ArtifactTree> GetTreeAsync(StageDefinition stage, CancellationToken ct);

    IVariableSourceReader Variables { get; }
}

/// <summary>Parsed <c>--source-dir [STAGE=]PATH</c> values: per-stage entries and an optional default.</summary>
internal sealed partial record SourceDirs(IReadOnlyDictionary<string, string> PerStage, string? Default)
{
    public static SourceDirs Parse(IEnumerable<string> values)
    {
        var perStage = new Dictionary<string, string>(StringComparer.Ordinal);
        string? fallback = null;
        foreach (var value in values)
        {
            var match = StagePrefix().Match(value);
            var (stage, path) = match.Success ? (match.Groups[1].Value, value[(match.Length)..]) : (null, value);
            if (path.Length == 0)
            {
                throw new CliException($"--source-dir \"{value}\": empty path", ExitCodes.Usage);
            }

            if (stage is null)
            {
                if (fallback is not null)
                {
                    throw new CliException($"--source-dir \"{value}\": a default source directory was already given", ExitCodes.Usage);
                }

                fallback = path;
            }
            else if (!perStage.TryAdd(stage, path))
            {
                throw new CliException($"--source-dir \"{value}\": stage \"{stage}\" was already given", ExitCodes.Usage);
            }
        }

        return new SourceDirs(perStage, fallback);
    }

    public string? For(string stage) => PerStage.TryGetValue(stage, out var dir) ? dir : Default;

    [GeneratedRegex("^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=")]
    private static partial Regex StagePrefix();
}

/// <summary>Local source directories; substituteFrom cannot be read without a cluster.</summary>
internal sealed class LocalRenderSource(SourceDirs dirs) : IRenderSource
{
    public IVariableSourceReader Variables { get; } = new OfflineVariables();

    public Task<ArtifactTree> GetTreeAsync(StageDefinition stage, CancellationToken ct)
    {
        var dir = dirs.For(stage.Name)
                  ?? throw new CliException($"stage \"{stage.Name}\" has no --source-dir (reading artifacts from a cluster needs build NAME)");
        try
        {
            return Task.FromResult(ArtifactTree.FromDirectory(dir));
        }
        catch (DirectoryNotFoundException e)
        {
            throw new CliException($"stage \"{stage.Name}\": {e.Message}");
        }
    }

    private sealed class OfflineVariables : IVariableSourceReader
    {
        public Task<JsonObject?> GetAsync(string kind, string @namespace, string name, CancellationToken ct) =>
            throw new VariableResolutionException(
                $"substituteFrom {kind} {@namespace}/{name} cannot be read offline (no cluster connection with -f)");
    }
}
