using StageSet.Api.Crd;
using StageSet.Manifests;

namespace StageSet.CrdGen;

/// <summary>Renders the CRDs of <see cref="StageSetCrds"/> as the YAML files committed under <c>config/crd/</c>.</summary>
public static class CrdGenerator
{
    private const string Header = "# Generated from the StageSet.Api types by `dotnet run --project tools/StageSet.CrdGen -- config/crd`; do not edit.\n";

    /// <summary>File name and YAML text of every CRD.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Render() =>
        StageSetCrds.All().Select(c => new KeyValuePair<string, string>(c.Key, Header + KubeYaml.Serialize(c.Value))).ToList();

    /// <summary>Writes every CRD into <paramref name="directory"/> (created if missing); returns the paths written.</summary>
    public static IReadOnlyList<string> Write(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (name, yaml) in Render())
        {
            var path = Path.Combine(directory, name);
            File.WriteAllText(path, yaml);
            written.Add(path);
        }

        return written;
    }
}
