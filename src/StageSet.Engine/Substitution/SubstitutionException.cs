namespace StageSet.Engine.Substitution;

/// <summary>A postBuild substitution failure: a malformed <c>${...}</c> expression or, in strict mode, an unset variable.</summary>
public sealed class SubstitutionException(string message) : Exception(message);
