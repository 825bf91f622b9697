namespace StageSet.Api.Validation;

/// <summary>Builds field paths in the Kubernetes form <c>spec.stages[1].actions.pre[0].http.url</c>.</summary>
internal static class FieldPaths
{
    public static string Child(this string path, string name) => path.Length == 0 ? name : path + "." + name;

    public static string Index(this string path, int index) => path + "[" + index + "]";
}
