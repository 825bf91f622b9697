using System.Text.Json.Nodes;

namespace StageSet.Engine.Health;

/// <summary>
/// What the controller learned when it read one object of the wait set: the object, that it does not exist, or
/// that the read failed. For kinds whose readers also judge their Pods (<see cref="StatusReader.TracksPods"/>)
/// it carries the Pods matched by the object's <c>spec.selector</c>, or why listing them failed.
/// </summary>
public sealed record LiveRead
{
    private LiveRead(JsonObject? obj, string? error, IReadOnlyList<JsonObject>? pods, string? podsError)
    {
        Object = obj;
        Error = error;
        Pods = pods;
        PodsError = podsError;
    }

    public JsonObject? Object { get; }

    public string? Error { get; }

    public IReadOnlyList<JsonObject>? Pods { get; }

    public string? PodsError { get; }

    public bool IsNotFound => Object is null && Error is null;

    public static LiveRead Found(JsonObject obj, IReadOnlyList<JsonObject>? pods = null) =>
        new(obj ?? throw new ArgumentNullException(nameof(obj)), null, pods, null);

    public static LiveRead FoundWithoutPods(JsonObject obj, string podsError) =>
        new(obj ?? throw new ArgumentNullException(nameof(obj)), null, null, podsError);

    public static LiveRead NotFound() => new(null, null, null, null);

    public static LiveRead Failed(string error) => new(null, error, null, null);
}
