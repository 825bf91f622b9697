using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace StageSet.Manifests.Yaml;

/// <summary>
/// Turns YamlDotNet parser events into <see cref="YamlTreeNode"/> documents, resolving aliases to their anchored
/// node. Syntax errors surface as <see cref="KubeYamlException"/> naming the source and line.
/// </summary>
internal sealed class YamlTreeReader
{
    private readonly IParser _parser;
    private readonly string _source;
    private readonly Dictionary<string, YamlTreeNode> _anchors = new(StringComparer.Ordinal);
    private int _lastLine;
    private int _lastColumn;

    private YamlTreeReader(string text, string source)
    {
        _parser = new Parser(new StringReader(text));
        _source = source;
    }

    public static List<YamlTreeNode> ReadDocuments(string text, string source)
    {
        var reader = new YamlTreeReader(text, source);
        try
        {
            return reader.ReadStream();
        }
        catch (YamlException e)
        {
            throw new KubeYamlException(source, (int)e.Start.Line, (int)e.Start.Column, StripMark(e.Message), e);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or IndexOutOfRangeException or FormatException && e is not KubeYamlException)
        {
            // YamlDotNet's scanner occasionally fails on malformed input with a non-YAML exception; it is still bad
            // input, so report it like any syntax error, at the last position the parser reached.
            throw new KubeYamlException(source, reader._lastLine, reader._lastColumn, "invalid YAML: " + e.Message, e);
        }
    }

    private List<YamlTreeNode> ReadStream()
    {
        var documents = new List<YamlTreeNode>();
        _parser.Consume<StreamStart>();
        while (_parser.TryConsume<DocumentStart>(out _))
        {
            _anchors.Clear();
            documents.Add(ReadNode());
            _parser.Consume<DocumentEnd>();
        }

        _parser.Consume<StreamEnd>();
        return documents;
    }

    private YamlTreeNode ReadNode()
    {
        var current = _parser.Current ?? throw new KubeYamlException(_source, _lastLine, _lastColumn, "unexpected end of stream");
        _lastLine = Line(current);
        _lastColumn = Column(current);
        switch (current)
        {
            case AnchorAlias alias:
                _parser.MoveNext();
                if (!_anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new KubeYamlException(_source, Line(alias), Column(alias), $"unknown anchor '{alias.Value.Value}' referenced");
                }

                return new YamlTreeAlias(Line(alias), Column(alias), target);
            case Scalar scalar:
                {
                    _parser.MoveNext();
                    var node = new YamlTreeScalar(
                        Line(scalar),
                        Column(scalar),
                        scalar.Value,
                        scalar.Tag.IsEmpty ? null : scalar.Tag.Value,
                        scalar.Style is ScalarStyle.Plain or ScalarStyle.Any);
                    Remember(scalar.Anchor, node);
                    return node;
                }

            case SequenceStart start:
                {
                    _parser.MoveNext();
                    var node = new YamlTreeSequence(Line(start), Column(start));
                    while (!_parser.TryConsume<SequenceEnd>(out _))
                    {
                        node.Items.Add(ReadNode());
                    }

                    Remember(start.Anchor, node);
                    return node;
                }

            case MappingStart start:
                {
                    _parser.MoveNext();
                    var node = new YamlTreeMapping(Line(start), Column(start));
                    while (!_parser.TryConsume<MappingEnd>(out _))
                    {
                        var key = ReadNode();
                        var value = ReadNode();
                        node.Entries.Add(new KeyValuePair<YamlTreeNode, YamlTreeNode>(key, value));
                    }

                    Remember(start.Anchor, node);
                    return node;
                }

            default:
                throw new KubeYamlException(_source, Line(current), Column(current), "unexpected " + current.GetType().Name);
        }
    }

    // Anchors are registered once their node is complete, so an alias inside its own anchor is reported as unknown
    // rather than building a cyclic document.
    private void Remember(AnchorName anchor, YamlTreeNode node)
    {
        if (!anchor.IsEmpty)
        {
            _anchors[anchor.Value] = node;
        }
    }

    private static int Line(ParsingEvent e) => (int)e.Start.Line;

    private static int Column(ParsingEvent e) => (int)e.Start.Column;

    // YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (Line: ..., Idx: f): "; we report the line ourselves.
    private static string StripMark(string message)
    {
        const string separator = "): ";
        var at = message.StartsWith("(Line:", StringComparison.Ordinal) ? message.IndexOf(separator, message.IndexOf(") - (", StringComparison.Ordinal) + 1, StringComparison.Ordinal) : -1;
        return at < 0 ? message : message[(at + separator.Length)..];
    }
}
