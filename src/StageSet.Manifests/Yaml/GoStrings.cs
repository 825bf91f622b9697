using System.Text;

namespace StageSet.Manifests.Yaml;

/// <summary>Byte strings as Go's <c>encoding/json</c> turns them into text: each invalid UTF-8 byte becomes U+FFFD.</summary>
internal static class GoStrings
{
    public static string FromBytes(ReadOnlySpan<byte> bytes)
    {
        var sb = new StringBuilder(bytes.Length);
        while (!bytes.IsEmpty)
        {
            if (Rune.DecodeFromUtf8(bytes, out var rune, out var consumed) == System.Buffers.OperationStatus.Done)
            {
                sb.Append(rune.ToString());
                bytes = bytes[consumed..];
            }
            else
            {
                // Go decodes one byte at a time after an error, where .NET would swallow a maximal invalid subsequence.
                sb.Append('\uFFFD');
                bytes = bytes[1..];
            }
        }

        return sb.ToString();
    }
}
