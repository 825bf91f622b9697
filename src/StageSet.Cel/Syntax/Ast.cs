namespace StageSet.Cel.Syntax;

/// <summary>A node of a parsed expression. Ids are unique within one parse and key positions and checked types.</summary>
internal abstract record Expr(long Id);

internal sealed record ConstExpr(long Id, CelValue Value) : Expr(Id);

internal sealed record IdentExpr(long Id, string Name) : Expr(Id);

/// <summary><c>operand.field</c>; with <see cref="TestOnly"/> it is the expansion of <c>has(operand.field)</c>.</summary>
internal sealed record SelectExpr(long Id, Expr Operand, string Field, bool TestOnly) : Expr(Id);

/// <summary>A function call; operators are calls too (<c>_+_</c>), receiver-style calls have a target.</summary>
internal sealed record CallExpr(long Id, string Function, Expr? Target, IReadOnlyList<Expr> Args) : Expr(Id);

internal sealed record ListExpr(long Id, IReadOnlyList<Expr> Elements, IReadOnlyList<int> OptionalIndices) : Expr(Id);

internal sealed record MapEntry(long Id, Expr Key, Expr Value, bool Optional);

internal sealed record MapExpr(long Id, IReadOnlyList<MapEntry> Entries) : Expr(Id);

internal sealed record FieldInit(long Id, string Field, Expr Value, bool Optional);

/// <summary>Message construction <c>Type{field: value}</c>.</summary>
internal sealed record StructExpr(long Id, string TypeName, IReadOnlyList<FieldInit> Fields) : Expr(Id);

/// <summary>
/// The loop every macro expands to: iterate <see cref="IterRange"/> binding <see cref="IterVar"/> (and, for two-variable
/// forms, <see cref="IterVar2"/> as index/key and value), folding into <see cref="AccuVar"/> while
/// <see cref="LoopCondition"/> holds, then evaluate <see cref="Result"/>.
/// </summary>
internal sealed record ComprehensionExpr(
    long Id,
    string IterVar,
    string? IterVar2,
    Expr IterRange,
    string AccuVar,
    Expr AccuInit,
    Expr LoopCondition,
    Expr LoopStep,
    Expr Result) : Expr(Id);

/// <summary>Names of the operator functions, as CEL declares them.</summary>
internal static class Operators
{
    public const string Conditional = "_?_:_";
    public const string LogicalAnd = "_&&_";
    public const string LogicalOr = "_||_";
    public const string LogicalNot = "!_";
    public const string Equal = "_==_";
    public const string NotEquals = "_!=_";
    public const string Less = "_<_";
    public const string LessEquals = "_<=_";
    public const string Greater = "_>_";
    public const string GreaterEquals = "_>=_";
    public const string Add = "_+_";
    public const string Subtract = "_-_";
    public const string Multiply = "_*_";
    public const string Divide = "_/_";
    public const string Modulo = "_%_";
    public const string Negate = "-_";
    public const string Index = "_[_]";
    public const string OptIndex = "_[?_]";
    public const string OptSelect = "_?._";
    public const string In = "@in";
    public const string NotStrictlyFalse = "@not_strictly_false";

    /// <summary>The source spelling of an operator, for messages.</summary>
    public static string? Display(string function) => function switch
    {
        LogicalAnd => "&&",
        LogicalOr => "||",
        LogicalNot => "!",
        Equal => "==",
        NotEquals => "!=",
        Less => "<",
        LessEquals => "<=",
        Greater => ">",
        GreaterEquals => ">=",
        Add => "+",
        Subtract => "-",
        Multiply => "*",
        Divide => "/",
        Modulo => "%",
        Negate => "-",
        In => "in",
        _ => null,
    };
}
