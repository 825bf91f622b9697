using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using StageSet.Api.Crd;

namespace StageSet.Api;

/// <summary>
/// Standard object metadata (<c>metav1.ObjectMeta</c>) as the StageSet layers need it. Fields this record does
/// not model are kept in <see cref="Extra"/> and <see cref="ManagedFields"/> stays raw JSON, so a
/// read-modify-write never loses what the API server stored.
/// </summary>
public sealed record ObjectMeta
{
    public string? Name { get; init; }

    public string? GenerateName { get; init; }

    public string? Namespace { get; init; }

    public string? Uid { get; init; }

    public string? ResourceVersion { get; init; }

    public long Generation { get; init; }

    public DateTimeOffset? CreationTimestamp { get; init; }

    public DateTimeOffset? DeletionTimestamp { get; init; }

    public long? DeletionGracePeriodSeconds { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    public IReadOnlyDictionary<string, string>? Annotations { get; init; }

    public IReadOnlyList<OwnerReference>? OwnerReferences { get; init; }

    public IReadOnlyList<string>? Finalizers { get; init; }

    public JsonArray? ManagedFields { get; init; }

    /// <summary>Metadata fields without a property here (e.g. <c>selfLink</c>), round-tripped untouched.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? Extra { get; init; }

    public string? Label(string key) => Labels?.GetValueOrDefault(key);

    public string? Annotation(string key) => Annotations?.GetValueOrDefault(key);
}

/// <summary>A link from a dependent object to its owner (<c>metav1.OwnerReference</c>).</summary>
public sealed record OwnerReference
{
    [Required]
    public string ApiVersion { get; init; } = "";

    [Required]
    public string Kind { get; init; } = "";

    [Required]
    public string Name { get; init; } = "";

    [Required]
    public string Uid { get; init; } = "";

    public bool? Controller { get; init; }

    public bool? BlockOwnerDeletion { get; init; }
}

/// <summary>List metadata (<c>metav1.ListMeta</c>).</summary>
public sealed record ListMeta
{
    public string? ResourceVersion { get; init; }

    public string? Continue { get; init; }

    public long? RemainingItemCount { get; init; }
}

/// <summary>One observation of an object's state (<c>metav1.Condition</c>).</summary>
[Description("One aspect of the object's current state, in the standard Kubernetes condition shape.")]
public sealed record Condition
{
    [Required]
    [Description("Which aspect this condition describes; a StageSet only reports Ready.")]
    [Length(-1, 316)]
    [Pattern(@"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$")]
    public string Type { get; init; } = "";

    [Required]
    [Description("Whether the condition holds: True, False or Unknown.")]
    [Enum(ConditionStatus.True, ConditionStatus.False, ConditionStatus.Unknown)]
    public string Status { get; init; } = "";

    [Description("The metadata.generation this condition was computed from.")]
    [Minimum(0)]
    public long ObservedGeneration { get; init; }

    [Required]
    [Description("When the status last changed; message-only updates keep it.")]
    public DateTimeOffset LastTransitionTime { get; init; }

    [Required]
    [Description("A CamelCase machine-readable cause of the current status.")]
    [Length(1, 1024)]
    [Pattern("^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$")]
    public string Reason { get; init; } = "";

    [Required]
    [Description("A human-readable explanation of the current status.")]
    [Length(-1, 32768)]
    public string Message { get; init; } = "";
}

/// <summary>The values of <see cref="Condition.Status"/>.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>A label query (<c>metav1.LabelSelector</c>); both parts are ANDed, and an empty selector matches everything.</summary>
[Atomic]
[Description("A label query over objects; matchLabels and matchExpressions must all hold.")]
public sealed record LabelSelector
{
    [Description("Labels that must be present with exactly these values.")]
    public IReadOnlyDictionary<string, string>? MatchLabels { get; init; }

    [Description("Set-based requirements on labels.")]
    public IReadOnlyList<LabelSelectorRequirement>? MatchExpressions { get; init; }
}

/// <summary>One set-based label requirement.</summary>
[Description("A requirement on one label key: In, NotIn, Exists or DoesNotExist.")]
public sealed record LabelSelectorRequirement
{
    [Required]
    [Description("The label key the requirement applies to.")]
    public string Key { get; init; } = "";

    [Required]
    [Description("How the key relates to the values: In, NotIn, Exists or DoesNotExist.")]
    public string Operator { get; init; } = "";

    [Description("The values for In and NotIn; must be empty for Exists and DoesNotExist.")]
    public IReadOnlyList<string>? Values { get; init; }
}
