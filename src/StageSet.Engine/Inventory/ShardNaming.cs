using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace StageSet.Engine.Inventory;

/// <summary>How StageInventory shards are named.</summary>
public enum ShardNamingScheme
{
    /// <summary>Newer: <c>&lt;stageset&gt;-&lt;stage&gt;-&lt;NN&gt;-&lt;h10&gt;</c>, unique even when names run together.</summary>
    Hashed,

    /// <summary>Seed: <c>&lt;stageset&gt;-&lt;stage&gt;-&lt;NN&gt;</c>, hashed only when longer than 253 characters.</summary>
    Seed,
}

/// <summary>Shard names (flux-source-contract.md §7.2); both schemes fit the 253-character object name limit.</summary>
public static class ShardNaming
{
    public const int MaxNameLength = 253;

    /// <summary>Room left for the prefix once <c>-</c> and ten hex digits are appended.</summary>
    private const int TruncatedPrefixLength = MaxNameLength - 11;

    public static string Name(ShardNamingScheme scheme, string stageSet, string stage, int index) => scheme switch
    {
        ShardNamingScheme.Hashed => Hashed(stageSet, stage, index),
        ShardNamingScheme.Seed => Seed(stageSet, stage, index),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "unknown shard naming scheme"),
    };

    public static string Hashed(string stageSet, string stage, int index)
    {
        // Lengths in the hashed text keep "a-b"/"c" and "a"/"b-c" apart, which the plain prefix cannot.
        var hash = Hex10(string.Create(CultureInfo.InvariantCulture,
            $"{Encoding.UTF8.GetByteCount(stageSet)}/{stageSet}/{Encoding.UTF8.GetByteCount(stage)}/{stage}/{index}"));
        var prefix = Prefix(stageSet, stage, index);
        if (prefix.Length + 11 > MaxNameLength)
        {
            prefix = prefix[..TruncatedPrefixLength].TrimEnd('-');
        }

        return prefix + "-" + hash;
    }

    public static string Seed(string stageSet, string stage, int index)
    {
        var name = Prefix(stageSet, stage, index);
        return name.Length <= MaxNameLength ? name : name[..TruncatedPrefixLength].TrimEnd('-') + "-" + Hex10(name);
    }

    private static string Prefix(string stageSet, string stage, int index) =>
        stageSet + "-" + stage + "-" + index.ToString("D2", CultureInfo.InvariantCulture);

    private static string Hex10(string text) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..10];
}
