using StageSet.Artifacts;

namespace StageSet.Engine.Tests.Build;

/// <summary>Writes a small artifact tree on disk for a build test; removed on dispose.</summary>
internal sealed class TreeBuilder : IDisposable
{
    public TreeBuilder()
    {
        Root = Path.Combine(Path.GetTempPath(), "stageset-tree-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    public TreeBuilder File(string path, string content)
    {
        var full = Path.Combine(Root, path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        System.IO.File.WriteAllText(full, content);
        return this;
    }

    public ArtifactTree Tree() => ArtifactTree.FromDirectory(Root);

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
