using System.Text.Json;
using System.Text.Json.Nodes;

namespace StageSet.Manifests.Patch;

/// <summary>A JSON Patch that cannot be decoded or applied; names the failing operation.</summary>
public sealed class JsonPatchException(string message, int operationIndex = -1) : Exception(message)
{
    /// <summary>Zero-based index of the failing operation, -1 when the patch as a whole is malformed.</summary>
    public int OperationIndex { get; } = operationIndex;
}

/// <summary>RFC 6902 JSON Patch (<c>application/json-patch+json</c>).</summary>
public static class JsonPatch
{
    /// <summary>
    /// Applies <paramref name="patch"/> (a JSON array of operations) to a copy of <paramref name="document"/>;
    /// the input is never modified. All operations succeed or the call throws.
    /// </summary>
    /// <exception cref="JsonPatchException">A malformed operation, a missing path, an index out of range or a
    /// failed <c>test</c>.</exception>
    public static JsonNode? Apply(JsonNode? document, JsonNode? patch)
    {
        if (patch is not JsonArray operations)
        {
            throw new JsonPatchException("a JSON patch must be a JSON array of operations");
        }

        var result = document?.DeepClone();
        for (var i = 0; i < operations.Count; i++)
        {
            if (operations[i] is not JsonObject op)
            {
                throw new JsonPatchException($"operation {i}: must be a JSON object", i);
            }

            result = new Step(op, i).Apply(result);
        }

        return result;
    }

    /// <summary>Parses <paramref name="patchJson"/> and applies it; see <see cref="Apply(JsonNode?, JsonNode?)"/>.</summary>
    public static JsonNode? Apply(JsonNode? document, string patchJson)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(patchJson);
        }
        catch (JsonException e)
        {
            throw new JsonPatchException("the JSON patch is not valid JSON: " + e.Message);
        }

        return Apply(document, patch);
    }

    private sealed class Step(JsonObject op, int index)
    {
        private string Name => op["op"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

        public JsonNode? Apply(JsonNode? doc)
        {
            var name = Name;
            var path = Pointer("path");
            switch (name)
            {
                case "add":
                    return Add(doc, path, Value());
                case "remove":
                    Remove(doc, path);
                    return doc;
                case "replace":
                    {
                        var value = Value();
                        if (path.IsRoot)
                        {
                            return value;
                        }

                        Remove(doc, path);
                        return Add(doc, path, value);
                    }

                case "move":
                    {
                        var from = Pointer("from");
                        if (from.IsPrefixOf(path))
                        {
                            throw Fail($"cannot move {from} into its own child {path}");
                        }

                        var value = Get(doc, from, "from");
                        if (from.ToString() == path.ToString())
                        {
                            return doc;
                        }

                        Remove(doc, from);
                        return Add(doc, path, value);
                    }

                case "copy":
                    return Add(doc, path, Get(doc, Pointer("from"), "from")?.DeepClone());
                case "test":
                    {
                        var expected = Value();
                        var actual = Get(doc, path, "path");
                        if (!JsonEquality.DeepEquals(actual, expected))
                        {
                            throw Fail($"test failed: the value at {path} is {actual?.ToJsonString() ?? "null"}, not {expected?.ToJsonString() ?? "null"}");
                        }

                        return doc;
                    }

                default:
                    throw Fail(name.Length == 0 ? "missing 'op'" : $"unknown op {Schema.FieldError.Quote(name)}");
            }
        }

        private JsonNode? Add(JsonNode? doc, JsonPointer path, JsonNode? value)
        {
            if (path.IsRoot)
            {
                return value;
            }

            var parent = Get(doc, path.Parent, "path");
            switch (parent)
            {
                case JsonObject obj:
                    obj[path.Last] = value;
                    break;
                case JsonArray array:
                    if (path.Last == "-")
                    {
                        array.Add(value);
                        break;
                    }

                    var i = JsonPointer.ArrayIndex(path.Last);
                    if (i < 0 || i > array.Count)
                    {
                        throw Fail($"index {Schema.FieldError.Quote(path.Last)} is out of range for {path.Parent} (length {array.Count})");
                    }

                    array.Insert(i, value);
                    break;
                default:
                    throw Fail($"cannot add {path}: its parent is not an object or array");
            }

            return doc;
        }

        private void Remove(JsonNode? doc, JsonPointer path)
        {
            if (path.IsRoot)
            {
                throw Fail("cannot remove the whole document");
            }

            switch (Get(doc, path.Parent, "path"))
            {
                case JsonObject obj when obj.ContainsKey(path.Last):
                    obj.Remove(path.Last);
                    break;
                case JsonArray array when JsonPointer.ArrayIndex(path.Last) is var i and >= 0 && i < array.Count:
                    array.RemoveAt(i);
                    break;
                default:
                    throw Fail($"path {path} does not exist");
            }
        }

        private JsonNode? Get(JsonNode? doc, JsonPointer pointer, string member) =>
            pointer.TryGet(doc, out var found) ? found : throw Fail($"{member} {pointer} does not exist");

        private JsonNode? Value()
        {
            if (!op.TryGetPropertyValue("value", out var value))
            {
                throw Fail("missing 'value'");
            }

            return value?.DeepClone();
        }

        private JsonPointer Pointer(string member)
        {
            if (op[member] is not JsonValue v || !v.TryGetValue<string>(out var text))
            {
                throw Fail(op.ContainsKey(member) ? $"'{member}' must be a string" : $"missing '{member}'");
            }

            try
            {
                return JsonPointer.Parse(text);
            }
            catch (FormatException e)
            {
                throw Fail(e.Message);
            }
        }

        private JsonPatchException Fail(string message) => new($"operation {index} ({Name}): {message}", index);
    }
}
