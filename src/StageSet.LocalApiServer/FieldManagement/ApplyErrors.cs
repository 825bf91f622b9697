namespace StageSet.LocalApiServer.FieldManagement;

/// <summary>One field another manager owns that an apply would change (a <c>details.causes[]</c> entry).</summary>
public sealed record ApplyConflict(string Manager, string Field)
{
    /// <summary>The cause reason, always <c>FieldManagerConflict</c>.</summary>
    public string Reason => "FieldManagerConflict";

    /// <summary><c>conflict with "m"</c> (with <c>using apps/v1</c> or <c>with subresource "status"</c> as applicable).</summary>
    public string Message => "conflict with " + Manager;
}

/// <summary>
/// A server-side apply refused because of ownership: 409 Conflict, reason <c>Conflict</c>, <see cref="Exception.Message"/>
/// as the status message and <see cref="Conflicts"/> as <c>details.causes</c> (api-server.md §6.4).
/// </summary>
public sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts, string message) : Exception(message)
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts;

    public int Code => 409;
}

/// <summary>
/// A server-side apply request the field manager cannot process (api-server.md §6.1): 400 BadRequest for a version
/// mismatch or a managedFields-carrying configuration, 500 without reason for a configuration that does not fit the
/// schema.
/// </summary>
public sealed class InvalidApplyException(int code, string? reason, string message) : Exception(message)
{
    public int Code { get; } = code;

    /// <summary><c>BadRequest</c>, or null for the reason-less 500 kube-apiserver sends for plain errors.</summary>
    public string? Reason { get; } = reason;

    public static InvalidApplyException BadRequest(string message) => new(400, "BadRequest", message);

    public static InvalidApplyException Internal(string message) => new(500, null, message);
}
