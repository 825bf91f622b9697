using System.Collections.Frozen;

namespace StageSet.LocalApiServer.Protobuf;

/// <summary>How a protobuf field maps onto the JSON form of the Kubernetes type.</summary>
internal enum ProtoFieldType
{
    /// <summary>UTF-8 string; empty means absent (Go writes non-pointer strings even when empty).</summary>
    Text,

    /// <summary>Raw bytes, base64 in JSON as Go's <c>[]byte</c>.</summary>
    Blob,

    /// <summary>Only pointer bools are written by Go, so a written <c>false</c> is kept.</summary>
    Flag,

    /// <summary>Varint integer; zero means absent.</summary>
    Integer,

    /// <summary><c>metav1.Time</c> {1 seconds, 2 nanos} rendered as RFC 3339 seconds; empty means absent.</summary>
    Timestamp,

    /// <summary>A nested message, always rendered as an object (Go emits non-pointer structs even when empty).</summary>
    Nested,

    /// <summary><c>map&lt;string,string&gt;</c> as repeated {1 key, 2 value}.</summary>
    TextMap,

    /// <summary><c>map&lt;string,bytes&gt;</c>, values base64 in JSON.</summary>
    BlobMap,

    /// <summary><c>map&lt;string,ExtraValue&gt;</c> where ExtraValue is {1 repeated string items}, a JSON list.</summary>
    TextListMap,
}

/// <summary>One field of a message: its number, JSON name and shape.</summary>
internal sealed record ProtoField(int Number, string Json, ProtoFieldType Type, bool Repeated = false, ProtoMessage? Message = null);

/// <summary>The fields of one protobuf message that requests need; any other field number is skipped.</summary>
internal sealed class ProtoMessage
{
    private readonly FrozenDictionary<int, ProtoField> _byNumber;

    public ProtoMessage(string name, params ProtoField[] fields)
    {
        Name = name;
        Fields = fields;
        _byNumber = fields.ToFrozenDictionary(f => f.Number);
    }

    public string Name { get; }

    /// <summary>Declaration order, which is also the JSON order of the Go types.</summary>
    public IReadOnlyList<ProtoField> Fields { get; }

    public ProtoField? Field(int number) => _byNumber.GetValueOrDefault(number);
}
