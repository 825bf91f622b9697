namespace StageSet.Manifests.Yaml;

/// <summary>YAML that cannot be read or converted; the message names the source and the 1-based line.</summary>
public sealed class KubeYamlException : FormatException
{
    public KubeYamlException(string source, int line, int column, string reason, Exception? inner = null)
        : base(Format(source, line, reason), inner)
    {
        SourceName = source;
        Line = line;
        Column = column;
        Reason = reason;
    }

    /// <summary>The file name or description the caller passed (<c>&lt;input&gt;</c> when none).</summary>
    public string SourceName { get; }

    public int Line { get; }

    public int Column { get; }

    /// <summary>The message without source and line.</summary>
    public string Reason { get; }

    private static string Format(string source, int line, string reason) =>
        line > 0 ? $"{source}: yaml: line {line}: {reason}" : $"{source}: yaml: {reason}";
}
