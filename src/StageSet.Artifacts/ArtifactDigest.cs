using System.Security.Cryptography;

namespace StageSet.Artifacts;

/// <summary>A <c>sha256:&lt;64 hex&gt;</c> artifact digest, the only algorithm the contract accepts.</summary>
public readonly record struct ArtifactDigest
{
    private ArtifactDigest(string hex) => Hex = hex;

    /// <summary>Lower-case hex of the sha256, 64 characters.</summary>
    public string Hex { get; }

    public override string ToString() => "sha256:" + Hex;

    /// <summary>Parses a digest as published in <c>status.artifact.digest</c>; anything else is a terminal error.</summary>
    public static ArtifactDigest Parse(string? value)
    {
        var text = (value ?? "").Trim().ToLowerInvariant();
        if (text.Length == 0)
        {
            throw ArtifactException.Terminal("artifact digest is empty");
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0 || text[..colon] != "sha256" || !IsHex(text.AsSpan(colon + 1), 64))
        {
            throw ArtifactException.Terminal("digest is not a valid <algo>:<hex> string");
        }

        return new ArtifactDigest(text[(colon + 1)..]);
    }

    public static ArtifactDigest Of(byte[] sha256) => new(Convert.ToHexStringLower(sha256));

    /// <summary>Hashes a whole stream; used for files already on disk.</summary>
    public static ArtifactDigest Compute(Stream stream) => Of(SHA256.HashData(stream));

    private static bool IsHex(ReadOnlySpan<char> s, int length)
    {
        if (s.Length != length)
        {
            return false;
        }

        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigitLower(c) && !char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
