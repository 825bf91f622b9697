using System.Text.Json.Nodes;
using StageSet.LocalApiServer.Http;
using StageSet.LocalApiServer.Registry;
using StageSet.Manifests;
using StageSet.Manifests.Yaml;

namespace StageSet.LocalApiServer.Crds;

/// <summary>Creates the CRDs of <c>CrdPaths</c> (files or directories of YAML/JSON) at startup and waits until they are served.</summary>
internal static class CrdPreload
{
    public static async Task LoadAsync(ServerCore core, IReadOnlyList<string> paths, CancellationToken token)
    {
        var crdType = BuiltinResources.All.First(r => r.Kind == "CustomResourceDefinition");
        var names = new List<string>();
        foreach (var file in Files(paths))
        {
            IReadOnlyList<JsonNode> documents;
            try
            {
                documents = KubeYaml.ParseDocuments(await File.ReadAllTextAsync(file, token), file);
            }
            catch (KubeYamlException e)
            {
                throw new InvalidDataException($"{file}: {e.Message}", e);
            }

            foreach (var doc in documents.OfType<JsonObject>())
            {
                if (KubeObject.Kind(doc) != "CustomResourceDefinition")
                {
                    continue;
                }

                try
                {
                    BodyDecoder.CheckTypeMeta(crdType, doc);
                    core.Writer.Create(crdType, doc, core.SystemContext("stageset-local-apiserver"));
                    names.Add(KubeObject.Name(doc));
                }
                catch (ApiError e)
                {
                    throw new InvalidDataException($"{file}: {e.Message}", e);
                }
            }
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(token);
        deadline.CancelAfter(TimeSpan.FromSeconds(30) + core.Options.CrdEstablishDelay);
        while (names.Any(n => !core.Registry.Current.Custom.ContainsKey(n)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), deadline.Token);
        }
    }

    private static IEnumerable<string> Files(IReadOnlyList<string> paths)
    {
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories)
                    .Where(f => f.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".yml", StringComparison.OrdinalIgnoreCase) || f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
                    .Order(StringComparer.Ordinal))
                {
                    yield return file;
                }
            }
            else if (File.Exists(path))
            {
                yield return path;
            }
            else
            {
                throw new FileNotFoundException($"CRD path {path} does not exist", path);
            }
        }
    }
}
