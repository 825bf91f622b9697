namespace StageSet.LocalApiServer.Protobuf;

/// <summary>Protobuf wire types (the low three bits of a field tag).</summary>
internal enum WireType
{
    Varint = 0,
    Fixed64 = 1,
    LengthDelimited = 2,
    StartGroup = 3,
    EndGroup = 4,
    Fixed32 = 5,
}

/// <summary>
/// Reads the protobuf wire format field by field. Every read checks bounds, so truncated or garbage input ends in a
/// <see cref="FormatException"/> instead of an out-of-range read.
/// </summary>
internal ref struct ProtoReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public ProtoReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _pos = 0;
    }

    public readonly bool AtEnd => _pos >= _data.Length;

    public (int Field, WireType Wire) ReadTag()
    {
        var tag = ReadVarint();
        var field = tag >> 3;
        if (field == 0 || field > int.MaxValue)
        {
            throw new FormatException($"invalid protobuf field number {field} at offset {_pos}");
        }

        var wire = (WireType)(tag & 7);
        if (wire is not (WireType.Varint or WireType.Fixed64 or WireType.LengthDelimited or WireType.Fixed32))
        {
            throw new FormatException($"unsupported protobuf wire type {(int)wire} for field {field}");
        }

        return ((int)field, wire);
    }

    public ulong ReadVarint()
    {
        ulong result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            if (_pos >= _data.Length)
            {
                throw new FormatException("truncated protobuf varint");
            }

            var b = _data[_pos++];
            result |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }

        throw new FormatException("protobuf varint longer than 10 bytes");
    }

    public ReadOnlySpan<byte> ReadLengthDelimited()
    {
        var length = ReadVarint();
        if (length > (ulong)(_data.Length - _pos))
        {
            throw new FormatException($"protobuf length {length} exceeds the remaining {_data.Length - _pos} bytes");
        }

        var slice = _data.Slice(_pos, (int)length);
        _pos += (int)length;
        return slice;
    }

    public void Skip(WireType wire)
    {
        switch (wire)
        {
            case WireType.Varint:
                ReadVarint();
                break;
            case WireType.Fixed64:
                Advance(8);
                break;
            case WireType.Fixed32:
                Advance(4);
                break;
            case WireType.LengthDelimited:
                ReadLengthDelimited();
                break;
            default:
                throw new FormatException($"unsupported protobuf wire type {(int)wire}");
        }
    }

    private void Advance(int count)
    {
        if (count > _data.Length - _pos)
        {
            throw new FormatException("truncated protobuf fixed-width value");
        }

        _pos += count;
    }
}
