namespace StageSet.Engine.Substitution;

/// <summary>A parsed piece of an envsubst template.</summary>
internal abstract record EnvsubstNode;

/// <summary>Literal text, escapes already resolved.</summary>
internal sealed record TextNode(string Value) : EnvsubstNode;

/// <summary>
/// <c>${param}</c> or <c>${param&lt;op&gt;args}</c>; <see cref="Op"/> is empty for a plain reference. Arguments are
/// themselves templates (a default may contain <c>${other}</c>).
/// </summary>
internal sealed record FuncNode(string Param, string Op, IReadOnlyList<EnvsubstNode> Args) : EnvsubstNode;

/// <summary>A sequence of nodes evaluated in order.</summary>
internal sealed record ListNode(IReadOnlyList<EnvsubstNode> Nodes) : EnvsubstNode;
