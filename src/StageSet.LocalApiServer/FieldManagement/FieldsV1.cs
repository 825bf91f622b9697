using System.Text;
using System.Text.Json.Nodes;

namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>
/// The FieldsV1 encoding of a <see cref="FieldSet"/> (api-server.md §6.3): nested objects keyed by path element text,
/// leaves <c>{}</c>, keys sorted field &lt; key &lt; value &lt; index, and <c>".":{}</c> first in a node that is itself a
/// member and also has members below it.
/// </summary>
public static class FieldsV1
{
    /// <summary>Compact JSON, byte-identical to kube-apiserver's encoding.</summary>
    public static string Serialize(FieldSet set)
    {
        var sb = new StringBuilder();
        Write(sb, set, includeSelf: false);
        return sb.ToString();
    }

    /// <summary>The same document as a <see cref="JsonObject"/> with keys in FieldsV1 order.</summary>
    public static JsonObject ToJson(FieldSet set) => Build(set, includeSelf: false);

    /// <exception cref="FormatException">Not a FieldsV1 document.</exception>
    public static FieldSet Parse(JsonNode? fields)
    {
        if (fields is not JsonObject obj)
        {
            throw new FormatException("FieldsV1 must be a JSON object");
        }

        var set = new FieldSet();
        Read(obj, set);
        return set;
    }

    /// <summary>Reads the children of one node into <paramref name="set"/>; returns whether the node holds <c>"."</c>.</summary>
    private static bool Read(JsonObject obj, FieldSet set)
    {
        var self = false;
        foreach (var (key, value) in obj)
        {
            if (value is not JsonObject child)
            {
                throw new FormatException($"FieldsV1 value of {GoJson.Quote(key)} must be an object");
            }

            if (key == ".")
            {
                self = true;
                continue;
            }

            var element = PathElement.Parse(key);
            if (child.Count == 0)
            {
                set.InsertMember(element);
                continue;
            }

            var sub = new FieldSet();
            if (Read(child, sub))
            {
                set.InsertMember(element);
            }

            if (!sub.IsEmpty)
            {
                set.Child(element).UnionInPlace(sub);
            }
        }

        return self;
    }

    private static void Write(StringBuilder sb, FieldSet set, bool includeSelf)
    {
        sb.Append('{');
        var first = true;
        if (includeSelf && !set.IsEmpty)
        {
            sb.Append("\".\":{}");
            first = false;
        }

        foreach (var (element, isMember, children) in Entries(set))
        {
            if (!first)
            {
                sb.Append(',');
            }

            first = false;
            GoJson.AppendQuoted(sb, element.Text);
            sb.Append(':');
            if (children is null)
            {
                sb.Append("{}");
            }
            else
            {
                Write(sb, children, includeSelf: isMember);
            }
        }

        sb.Append('}');
    }

    private static JsonObject Build(FieldSet set, bool includeSelf)
    {
        var obj = new JsonObject();
        if (includeSelf && !set.IsEmpty)
        {
            obj["."] = new JsonObject();
        }

        foreach (var (element, isMember, children) in Entries(set))
        {
            obj[element.Text] = children is null ? new JsonObject() : Build(children, includeSelf: isMember);
        }

        return obj;
    }

    /// <summary>Members and children merged in element order; a member with children gets <c>"."</c> inside.</summary>
    private static IEnumerable<(PathElement Element, bool IsMember, FieldSet? Children)> Entries(FieldSet set)
    {
        using var members = set.Members.GetEnumerator();
        using var children = set.Children.GetEnumerator();
        var hasMember = members.MoveNext();
        var hasChild = children.MoveNext();
        while (hasMember || hasChild)
        {
            var c = !hasMember ? 1 : !hasChild ? -1 : members.Current.CompareTo(children.Current.Key);
            if (c < 0)
            {
                yield return (members.Current, true, null);
                hasMember = members.MoveNext();
            }
            else if (c > 0)
            {
                yield return (children.Current.Key, false, children.Current.Value);
                hasChild = children.MoveNext();
            }
            else
            {
                yield return (members.Current, true, children.Current.Value);
                hasMember = members.MoveNext();
                hasChild = children.MoveNext();
            }
        }
    }
}
