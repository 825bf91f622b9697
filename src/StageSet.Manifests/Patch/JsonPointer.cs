using System.Text.Json.Nodes;

namespace StageSet.Manifests.Patch;

/// <summary>An RFC 6901 JSON Pointer, parsed into unescaped reference tokens.</summary>
public sealed record JsonPointer(IReadOnlyList<string> Tokens)
{
    public static JsonPointer Root { get; } = new([]);

    public bool IsRoot => Tokens.Count == 0;

    public JsonPointer Parent => new(Tokens.Take(Tokens.Count - 1).ToList());

    public string Last => Tokens[^1];

    /// <exception cref="FormatException">The text does not start with <c>/</c> or has a bad <c>~</c> escape.</exception>
    public static JsonPointer Parse(string text)
    {
        if (text.Length == 0)
        {
            return Root;
        }

        if (text[0] != '/')
        {
            throw new FormatException($"JSON pointer {Quote(text)} does not start with '/'");
        }

        var tokens = new List<string>();
        foreach (var raw in text[1..].Split('/'))
        {
            for (var i = raw.IndexOf('~', StringComparison.Ordinal); i >= 0; i = raw.IndexOf('~', i + 1))
            {
                if (i + 1 >= raw.Length || raw[i + 1] is not ('0' or '1'))
                {
                    throw new FormatException($"JSON pointer {Quote(text)} has an invalid '~' escape");
                }
            }

            tokens.Add(raw.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal));
        }

        return new JsonPointer(tokens);
    }

    /// <summary>The array index a token names: decimal digits without leading zeros; -1 when it is not one.</summary>
    public static int ArrayIndex(string token)
    {
        if (token.Length == 0 || token.Length > 9 || (token.Length > 1 && token[0] == '0') || !token.All(char.IsAsciiDigit))
        {
            return -1;
        }

        return int.Parse(token, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The node the pointer names, or false when any step is missing.</summary>
    public bool TryGet(JsonNode? document, out JsonNode? found)
    {
        found = document;
        foreach (var token in Tokens)
        {
            switch (found)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out var child):
                    found = child;
                    break;
                case JsonArray array when ArrayIndex(token) is var i and >= 0 && i < array.Count:
                    found = array[i];
                    break;
                default:
                    found = null;
                    return false;
            }
        }

        return true;
    }

    public bool IsPrefixOf(JsonPointer other) =>
        Tokens.Count < other.Tokens.Count && Tokens.Select((t, i) => t == other.Tokens[i]).All(x => x);

    public override string ToString() =>
        string.Concat(Tokens.Select(t => "/" + t.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal)));

    private static string Quote(string s) => Schema.FieldError.Quote(s);
}
