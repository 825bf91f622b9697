using System.Text;

namespace StageSet.LocalApiServer.Tests.Protobuf;

/// <summary>
/// Writes protobuf the way Go's gogo-generated marshalers do for Kubernetes types: fields in number order, every
/// non-pointer scalar written even when empty. Test fixtures are built with it so every byte is explained by code.
/// </summary>
internal sealed class ProtoWriter
{
    private readonly MemoryStream _buffer = new();

    public ProtoWriter String(int field, string value) => Bytes(field, Encoding.UTF8.GetBytes(value));

    public ProtoWriter Bytes(int field, byte[] value)
    {
        Tag(field, 2);
        Varint((ulong)value.Length);
        _buffer.Write(value);
        return this;
    }

    public ProtoWriter Int(int field, long value)
    {
        Tag(field, 0);
        Varint((ulong)value);
        return this;
    }

    public ProtoWriter Bool(int field, bool value) => Int(field, value ? 1 : 0);

    public ProtoWriter Message(int field, Action<ProtoWriter> build)
    {
        var inner = new ProtoWriter();
        build(inner);
        return Bytes(field, inner.ToArray());
    }

    /// <summary>One map entry {1 key, 2 value}; Go writes entries sorted by key.</summary>
    public ProtoWriter MapEntry(int field, string key, string value) => Message(field, e => e.String(1, key).String(2, value));

    public ProtoWriter MapEntry(int field, string key, byte[] value) => Message(field, e => e.String(1, key).Bytes(2, value));

    /// <summary>Raw bytes, for malformed-input tests.</summary>
    public ProtoWriter Raw(params byte[] bytes)
    {
        _buffer.Write(bytes);
        return this;
    }

    public byte[] ToArray() => _buffer.ToArray();

    /// <summary>ObjectMeta as kubectl writes it: every string field of 1-6, generation 0, an empty creationTimestamp.</summary>
    public static Action<ProtoWriter> ObjectMeta(string name = "", string ns = "", Action<ProtoWriter>? extra = null) => w =>
    {
        w.String(1, name).String(2, "").String(3, ns).String(4, "").String(5, "").String(6, "").Int(7, 0).Message(8, _ => { });
        extra?.Invoke(w);
    };

    /// <summary><c>k8s\0</c> + runtime.Unknown{1 typeMeta{1 apiVersion, 2 kind}, 2 raw, 3 contentEncoding, 4 contentType}.</summary>
    public static byte[] Envelope(string apiVersion, string kind, Action<ProtoWriter> body)
    {
        var w = new ProtoWriter().Raw(0x6B, 0x38, 0x73, 0x00);
        w.Message(1, t => t.String(1, apiVersion).String(2, kind));
        w.Message(2, body);
        w.String(3, "").String(4, "");
        return w.ToArray();
    }

    private void Tag(int field, int wire) => Varint(((ulong)field << 3) | (uint)wire);

    private void Varint(ulong value)
    {
        while (value >= 0x80)
        {
            _buffer.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        _buffer.WriteByte((byte)value);
    }
}
