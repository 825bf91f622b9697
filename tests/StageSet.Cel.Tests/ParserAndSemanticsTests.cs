namespace StageSet.Cel.Tests;

/// <summary>Parser limits and error wording, and CEL semantics the conformance suite covers only loosely.</summary>
public sealed class ParserAndSemanticsTests
{
    private static CelValue Eval(string expr) => CelProgram.Compile(expr, CelEnvironment.Default).Evaluate(CelActivation.Empty);

    private static string? CompileError(string expr) => CelEnvironment.Default.Compile(expr).Error;

    [Theory]
    [InlineData("if", "ERROR: <input>:1:1: reserved identifier: if")]
    [InlineData("1 + var", "ERROR: <input>:1:5: reserved identifier: var")]
    [InlineData("1 +", "ERROR: <input>:1:4: Syntax error: mismatched input '<EOF>' expecting")]
    [InlineData("(1", "ERROR: <input>:1:3: Syntax error: mismatched input '<EOF>' expecting ')'")]
    [InlineData("1 2", "ERROR: <input>:1:3: Syntax error: extraneous input '2' expecting <EOF>")]
    [InlineData("'abc", "ERROR: <input>:1:1: Syntax error: unterminated string literal")]
    [InlineData("'\\q'", "ERROR: <input>:1:1: Syntax error: invalid escape sequence '\\q'")]
    [InlineData("9223372036854775808", "ERROR: <input>:1:1: invalid int literal")]
    [InlineData("[].all(1, true)", "ERROR: <input>:1:8: argument must be a simple name")]
    [InlineData("1 == 1.0", "ERROR: <input>:1:3: found no matching overload for '_==_' applied to '(int, double)'")]
    [InlineData("has(x)", "ERROR: <input>:1:4: invalid argument to has() macro")]
    [InlineData("1 # 2", "ERROR: <input>:1:3: Syntax error: token recognition error at: '#'")]
    public void Syntax_errors_are_reported_at_their_position(string expr, string expectedPrefix) =>
        Assert.StartsWith(expectedPrefix, CompileError(expr), StringComparison.Ordinal);

    [Fact]
    public void Deep_nesting_is_refused_instead_of_overflowing_the_stack()
    {
        var deep = new string('(', 300) + "1" + new string(')', 300);
        Assert.Contains("expression recursion limit exceeded: 250", CompileError(deep), StringComparison.Ordinal);
        var longSum = string.Join(" + ", Enumerable.Repeat("1", 400));
        Assert.Contains("recursion limit exceeded", CompileError(longSum), StringComparison.Ordinal);
        var tooLong = "'" + new string('a', 100_001) + "'";
        Assert.Contains("expression code point size exceeds limit", CompileError(tooLong), StringComparison.Ordinal);
    }

    [Fact]
    public void Long_logical_chains_are_balanced_so_they_stay_within_the_depth_limit()
    {
        var chain = string.Join(" || ", Enumerable.Repeat("false", 5000)) + " || true";
        Assert.Equal(CelBool.True, Eval(chain));
    }

    [Theory]
    [InlineData("-9223372036854775808", long.MinValue)]
    [InlineData("0x7fffffffffffffff", long.MaxValue)]
    [InlineData("--5", 5L)]
    [InlineData("-(5)", -5L)]
    [InlineData("7 / -2", -3L)]
    [InlineData("-7 % 3", -1L)]
    public void Integer_literals_and_arithmetic_follow_int64(string expr, long expected) => Assert.Equal(CelInt.Of(expected), Eval(expr));

    [Theory]
    [InlineData("9223372036854775807 + 1", "integer overflow")]
    [InlineData("-9223372036854775808 - 1", "integer overflow")]
    [InlineData("-9223372036854775808 / -1", "integer overflow")]
    [InlineData("1 / 0", "division by zero")]
    [InlineData("1 % 0", "modulus by zero")]
    [InlineData("0u - 1u", "unsigned integer overflow")]
    [InlineData("18446744073709551615u * 2u", "unsigned integer overflow")]
    [InlineData("int(1e19)", "range error converting double to int")]
    [InlineData("{'a': 1}.b", "no such key: b")]
    [InlineData("[1][1]", "index out of bounds: 1 (size 1)")]
    [InlineData("{1: 1, 1u: 2}", "Failed with repeated key: 1u")]
    public void Runtime_errors_say_what_went_wrong(string expr, string message) =>
        Assert.Equal(message, Assert.IsType<CelError>(Eval(expr)).Message);

    [Theory]
    [InlineData("dyn(1) == 1.0 && dyn(1u) == 1 && 2.5 > 2 && 3u < 3.5 && -1 < 0u")]
    [InlineData("[1, 2.0, 3u] == [1.0, 2u, 3]")]
    [InlineData("{1: 'a'}[dyn(1u)] == 'a' && {1u: 'a'}[dyn(1.0)] == 'a'")]
    [InlineData("'😀'.size() == 1 && b'\\xf0\\x9f\\x98\\x80'.size() == 4 && '😀é'.charAt(1) == 'é'")]
    [InlineData("'a' < 'b' && '\\uffff' < '😀' && b'a' < b'b'")]
    [InlineData("false && (1 / 0 > 0) || true")]
    [InlineData("(1 / 0 > 0) || true")]
    [InlineData("!((1 / 0 > 0) && false)")]
    [InlineData("[1, 2, 3].exists_one(x, x > 2) && ![1, 2, 3].all(x, x > 1) && [1, 2].map(x, x * 2) == [2, 4]")]
    [InlineData("[1, 2, 3, 4].filter(x, x % 2 == 0) == [2, 4] && {'a': 1, 'b': 2}.filter(k, k == 'b') == ['b']")]
    [InlineData("{'a': 1, 'b': 2}.transformMap(k, v, v * 10) == {'a': 10, 'b': 20}")]
    [InlineData("cel.bind(x, 21, x + x) == 42")]
    [InlineData("type(1) == int && type('') == string && type([]) == list && type(null) == null_type && type(int) == type")]
    [InlineData("duration('1h30m') == duration('5400s') && string(duration('-1.5s')) == '-1.5s'")]
    [InlineData("timestamp('2024-02-29T12:00:00+02:00') == timestamp('2024-02-29T10:00:00Z')")]
    [InlineData("timestamp('2024-01-01T00:30:00Z').getHours('Europe/Berlin') == 1 && timestamp('2024-07-01T00:30:00Z').getHours('Europe/Berlin') == 2")]
    [InlineData("timestamp('2024-01-01T00:00:00Z') + duration('24h') > timestamp('2024-01-01T23:59:59.999999999Z')")]
    [InlineData("'a,b,,c'.split(',') == ['a', 'b', '', 'c'] && ['x', 'y'].join('-') == 'x-y' && 'TacoCat'.lowerAscii() == 'tacocat'")]
    [InlineData("'%s has %d items costing %.2f'.format(['cart', 3, 9.5]) == 'cart has 3 items costing 9.50'")]
    [InlineData("optional.of(1).orValue(2) == 1 && optional.none().orValue(2) == 2 && {'a': 1}.?b.orValue(0) == 0")]
    [InlineData("math.greatest(1, 2.5, 2u) == 2.5 && math.least([3, 1, 2]) == 1")]
    [InlineData("sets.contains([1, 2, 3], [1, 3]) && base64.encode(b'hi') == 'aGk='")]
    [InlineData("[1, 2, 2, 5].isSorted() && ![2, 1].isSorted() && [1, 2, 3].sum() == 6 && dyn([1.5, 2.5]).sum() == 4.0 && [2.5, 1.0].min() == 1.0 && ['b', 'a'].max() == 'b'")]
    [InlineData("'abc 123 def 456'.find('[0-9]+') == '123' && 'abc 123 def 456'.findAll('[0-9]+') == ['123', '456'] && 'x'.find('[0-9]') == ''")]
    [InlineData("cidr('10.0.0.0/8').containsIP('10.1.2.3') && !isIP('10.0.0.1.2') && isCIDR('fd00::/8') && ip('::1').isLoopback()")]
    public void Expressions_evaluate_to_true(string expr) => Assert.Equal(CelBool.True, Eval(expr));

    [Theory]
    [InlineData("'abc'.matches('^abc$')", true)]
    [InlineData("'abc\\n'.matches('^abc$')", false)] // RE2: $ is the end of text, .NET would also match before a final \n
    [InlineData("'x\\ny'.matches('(?m)^y$')", true)]
    [InlineData("'٣'.matches('^\\\\d$')", false)] // RE2: \d is ASCII-only, .NET's is Unicode
    [InlineData("'é'.matches('^\\\\w$')", false)]
    [InlineData("'😀'.matches('^.$')", true)] // one code point, two UTF-16 chars
    [InlineData("'a1'.matches('^[[:alpha:]][[:digit:]]$')", true)]
    [InlineData("'ab'.matches('(?P<first>a)b')", true)]
    [InlineData("'a.b'.matches('\\\\Qa.b\\\\E')", true)]
    [InlineData("'AbC'.matches('(?i)abc')", true)]
    public void Regular_expressions_follow_re2(string expr, bool expected) => Assert.Equal(CelBool.Of(expected), Eval(expr));

    [Theory]
    [InlineData("'aa'.matches('(a)\\\\1')")]
    [InlineData("'ab'.matches('a(?=b)')")]
    [InlineData("'ab'.matches('[a')")]
    public void Regex_features_re2_rejects_are_errors(string expr) =>
        Assert.StartsWith("invalid regular expression", Assert.IsType<CelError>(Eval(expr)).Message, StringComparison.Ordinal);

    [Fact]
    public void List_building_macros_stay_linear_in_cost_on_large_lists()
    {
        // Copying the accumulator each step would cost ~n²/10 = 10^10 here, far beyond the 10^7 limit.
        Assert.Equal(CelInt.Of(50_000), Eval("lists.range(100000).filter(i, i % 2 == 0).size()"));
        Assert.Equal(CelInt.Of(99_999 * 2), Eval("lists.range(100000).map(i, i * 2)[99999]"));
        Assert.Equal(CelBool.True, Eval("[[1, 2], [3]].map(l, l.map(x, x * 10)) == [[10, 20], [30]]"));
        Assert.Equal("division by zero", Assert.IsType<CelError>(Eval("[1, 0, 2].map(x, 1 / x)")).Message);
        Assert.Equal("division by zero", Assert.IsType<CelError>(Eval("[1, 0, 2].filter(x, 1 / x > 0)")).Message);
    }

    [Fact]
    public void Dynamic_indexing_keeps_the_element_type_dyn()
    {
        var env = CelEnvironment.KubernetesObject;
        Assert.Equal(CelType.Bool, env.Compile("status.conditions[0].type == 'Available'").Program!.ResultType);
        Assert.Equal(CelType.Dyn, env.Compile("status.conditions[0]").Program!.ResultType);
    }

    [Fact]
    public void Type_checking_infers_parameterised_types()
    {
        var env = CelEnvironment.Default;
        Assert.Equal("list(list(list(dyn)))", env.Compile("[[], [[]]]").Program!.ResultType.ToString());
        Assert.Equal("map(string, int)", env.Compile("{'a': 1}").Program!.ResultType.ToString());
        Assert.Equal("list(dyn)", env.Compile("[1, 'a']").Program!.ResultType.ToString());
        Assert.Equal("optional_type(int)", env.Compile("[optional.none(), optional.of(1)][0]").Program!.ResultType.ToString());
        Assert.Contains("found no matching overload for 'size' applied to 'int.()'", env.Compile("1.size()").Error, StringComparison.Ordinal);
    }
}
