namespace StageSet.Manifests.Yaml;

/// <summary>A parsed YAML node before JSON conversion; aliases share the anchored instance.</summary>
internal abstract class YamlTreeNode(int line, int column)
{
    public int Line { get; } = line;

    public int Column { get; } = column;
}

internal sealed class YamlTreeScalar(int line, int column, string value, string? tag, bool plain) : YamlTreeNode(line, column)
{
    public string Value { get; } = value;

    /// <summary>The resolved tag (<c>tag:yaml.org,2002:int</c>, <c>!foo</c>), or null when none was written.</summary>
    public string? Tag { get; } = tag;

    /// <summary>Plain (unquoted, non-block) scalars are the only ones resolved to non-string types without a tag.</summary>
    public bool Plain { get; } = plain;
}

internal sealed class YamlTreeSequence(int line, int column) : YamlTreeNode(line, column)
{
    public List<YamlTreeNode> Items { get; } = [];
}

internal sealed class YamlTreeMapping(int line, int column) : YamlTreeNode(line, column)
{
    public List<KeyValuePair<YamlTreeNode, YamlTreeNode>> Entries { get; } = [];
}

/// <summary>A use of an anchor; kept distinct from the anchored node so expansion can be bounded.</summary>
internal sealed class YamlTreeAlias(int line, int column, YamlTreeNode target) : YamlTreeNode(line, column)
{
    public YamlTreeNode Target { get; } = target;
}
