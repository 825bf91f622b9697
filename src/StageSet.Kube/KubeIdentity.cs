namespace StageSet.Kube;

/// <summary>
/// Who a request runs as: the controller's own credentials, or a user the controller impersonates
/// (<c>Impersonate-User</c>). Tenant service accounts impersonate as <c>system:serviceaccount:NS:NAME</c>.
/// </summary>
public readonly record struct KubeIdentity(string? ImpersonatedUser)
{
    public static KubeIdentity Controller => default;

    public bool IsController => string.IsNullOrEmpty(ImpersonatedUser);

    /// <summary>The identity of <paramref name="serviceAccountName"/>, or the controller when it is empty.</summary>
    public static KubeIdentity ServiceAccount(string @namespace, string? serviceAccountName) =>
        string.IsNullOrEmpty(serviceAccountName)
            ? Controller
            : new KubeIdentity("system:serviceaccount:" + @namespace + ":" + serviceAccountName);

    public override string ToString() => IsController ? "controller" : ImpersonatedUser!;
}
