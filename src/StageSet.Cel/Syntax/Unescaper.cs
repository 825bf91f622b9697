using System.Globalization;
using System.Text;

namespace StageSet.Cel.Syntax;

/// <summary>Decodes the escapes of a (non-raw) CEL string or bytes literal body.</summary>
internal static class Unescaper
{
    public static (CelValue? Value, string? Error) Unescape(string body, bool bytes)
    {
        var output = new List<byte>(body.Length);
        var sb = new StringBuilder(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c != '\\')
            {
                if (bytes)
                {
                    var len = char.IsHighSurrogate(c) && i + 1 < body.Length ? 2 : 1;
                    output.AddRange(Encoding.UTF8.GetBytes(body.Substring(i, len)));
                    i += len - 1;
                }
                else
                {
                    sb.Append(c);
                }

                continue;
            }

            if (++i >= body.Length)
            {
                return (null, "invalid escape sequence at end of string");
            }

            var e = body[i];
            int? simple = e switch
            {
                'a' => 7,
                'b' => 8,
                'f' => 12,
                'n' => 10,
                'r' => 13,
                't' => 9,
                'v' => 11,
                '\\' => '\\',
                '\'' => '\'',
                '"' => '"',
                '`' => '`',
                '?' => '?',
                _ => null,
            };
            if (simple is { } s)
            {
                Append(s, isByte: false);
                continue;
            }

            int digits;
            int radix;
            var isByte = false;
            switch (e)
            {
                case 'x' or 'X':
                    digits = 2;
                    radix = 16;
                    isByte = true;
                    i++;
                    break;
                case 'u':
                    digits = 4;
                    radix = 16;
                    i++;
                    break;
                case 'U':
                    digits = 8;
                    radix = 16;
                    i++;
                    break;
                case >= '0' and <= '3':
                    digits = 3;
                    radix = 8;
                    isByte = true;
                    break;
                default:
                    return (null, $"invalid escape sequence '\\{e}'");
            }

            if (i + digits > body.Length)
            {
                return (null, "invalid escape sequence: too few digits");
            }

            var code = 0;
            for (var k = 0; k < digits; k++)
            {
                var d = body[i + k];
                var v = radix == 16 ? (char.IsAsciiHexDigit(d) ? int.Parse(d.ToString(), NumberStyles.HexNumber, CultureInfo.InvariantCulture) : -1)
                    : d is >= '0' and <= '7' ? d - '0' : -1;
                if (v < 0)
                {
                    return (null, $"invalid escape sequence digit '{d}'");
                }

                code = code * radix + v;
            }

            i += digits - 1;
            if (!isByte && (code > 0x10FFFF || code is >= 0xD800 and <= 0xDFFF))
            {
                return (null, "invalid unicode code point in escape sequence");
            }

            if (!isByte && bytes)
            {
                return (null, "unicode escapes are not allowed in bytes literals");
            }

            Append(code, isByte);
        }

        return bytes ? (CelBytes.Own([.. output]), null) : (new CelString(sb.ToString()), null);

        void Append(int code, bool isByte)
        {
            if (bytes)
            {
                if (isByte)
                {
                    output.Add((byte)code);
                }
                else
                {
                    output.AddRange(Encoding.UTF8.GetBytes(char.ConvertFromUtf32(code)));
                }
            }
            else
            {
                sb.Append(char.ConvertFromUtf32(code));
            }
        }
    }
}
