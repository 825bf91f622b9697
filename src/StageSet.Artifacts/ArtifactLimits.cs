namespace StageSet.Artifacts;

/// <summary>Byte caps of the Flux source contract (flux-source-contract.md §2.2, §2.4).</summary>
public sealed record ArtifactLimits
{
    public const long MiB = 1024 * 1024;

    public static ArtifactLimits Default { get; } = new();

    /// <summary>Largest compressed download accepted.</summary>
    public long MaxCompressedBytes { get; init; } = 64 * MiB;

    /// <summary>Largest decompressed tar stream accepted (exactly at the cap is allowed).</summary>
    public long MaxInflatedBytes { get; init; } = 512 * MiB;

    /// <summary>Largest single regular file.</summary>
    public long MaxEntryBytes { get; init; } = 16 * MiB;

    /// <summary>Largest sum of extracted regular files.</summary>
    public long MaxExtractedBytes { get; init; } = 64 * MiB;
}
