using System.Text.Json;
using StageSet.Api;

namespace StageSet.Api.Tests;

public class DurationTests
{
    private const long Ns = 1, Us = 1000, Ms = 1000 * Us, S = 1000 * Ms, M = 60 * S, H = 60 * M;

    [Theory]
    [InlineData("0", 0)]
    [InlineData("0s", 0)]
    [InlineData("-0", 0)]
    [InlineData("90s", 90 * S)]
    [InlineData("1h30m", H + 30 * M)]
    [InlineData("1.5h", H + 30 * M)]
    [InlineData("-1s", -S)]
    [InlineData("+5m", 5 * M)]
    [InlineData("300ms", 300 * Ms)]
    [InlineData("1us", Us)]
    [InlineData("1µs", Us)]
    [InlineData("1μs", Us)]
    [InlineData("3ns", 3 * Ns)]
    [InlineData(".5s", 500 * Ms)]
    [InlineData("1.s", S)]
    [InlineData("1h2m3s4ms5us6ns", H + 2 * M + 3 * S + 4 * Ms + 5 * Us + 6 * Ns)]
    [InlineData("2562047h47m16.854775807s", long.MaxValue)]
    [InlineData("-2562047h47m16.854775808s", long.MinValue)]
    public void Go_accepted_forms_parse_to_nanoseconds(string text, long nanoseconds)
    {
        Assert.True(Duration.TryParse(text, out var d, out var error), error);
        Assert.Equal(nanoseconds, d.Nanoseconds);
        Assert.Equal(text, d.ToString());
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("PT1H", "time: invalid duration \"PT1H\"")]
    [InlineData("P1D", "time: invalid duration \"P1D\"")]
    [InlineData("10", "time: missing unit in duration \"10\"")]
    [InlineData("1h30", "time: missing unit in duration \"1h30\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("1 h", "time: unknown unit \" h\" in duration \"1 h\"")]
    [InlineData("2562047h47m16.854775808s", "time: invalid duration \"2562047h47m16.854775808s\"")]
    [InlineData("9999999999999999999h", "time: invalid duration \"9999999999999999999h\"")]
    [InlineData("3000000h", "time: invalid duration \"3000000h\"")]
    public void Go_rejected_forms_fail_with_go_messages(string text, string message)
    {
        Assert.False(Duration.TryParse(text, out _, out var error));
        Assert.Equal(message, error);
        Assert.Equal(message, Assert.Throws<FormatException>(() => Duration.Parse(text)).Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(1, "1ns")]
    [InlineData(1100, "1.1µs")]
    [InlineData(2200 * Us, "2.2ms")]
    [InlineData(90 * S, "1m30s")]
    [InlineData(H + 30 * M, "1h30m0s")]
    [InlineData(3 * H, "3h0m0s")]
    [InlineData(-(H + 500 * Ms), "-1h0m0.5s")]
    [InlineData(long.MaxValue, "2562047h47m16.854775807s")]
    [InlineData(long.MinValue, "-2562047h47m16.854775808s")]
    public void Canonical_text_matches_go_duration_string(long nanoseconds, string text)
    {
        var d = new Duration(nanoseconds);
        Assert.Equal(text, d.ToGoString());
        Assert.Equal(text, d.ToString());
        Assert.Equal(nanoseconds, Duration.Parse(text).Nanoseconds);
    }

    [Fact]
    public void Json_keeps_the_authored_spelling_and_absent_means_unset()
    {
        var window = JsonSerializer.Deserialize<UpdateWindow>("""{"type":"Deny","duration":"1.5h"}""", StageSetJson.Options)!;
        Assert.Equal(H + 30 * M, window.Duration!.Value.Nanoseconds);
        Assert.Equal("""{"type":"Deny","duration":"1.5h"}""", StageSetJson.Serialize(window));
        Assert.Null(JsonSerializer.Deserialize<UpdateWindow>("""{"type":"Deny"}""", StageSetJson.Options)!.Duration);
        Assert.Equal("""{"type":"Deny","duration":"1h30m0s"}""",
            StageSetJson.Serialize(new UpdateWindow { Type = "Deny", Duration = Duration.FromMinutes(90) }));
    }

    [Fact]
    public void Bad_duration_in_json_names_the_field()
    {
        var e = Assert.Throws<ApiFormatException>(() =>
            StageSetJson.Deserialize<StageSet>("""{"spec":{"stages":[{"name":"a","sourceRef":{"name":"x"},"timeout":"1d"}]}}"""));
        Assert.Equal("spec.stages[0].timeout", e.Field);
        Assert.Equal("spec.stages[0].timeout: time: unknown unit \"d\" in duration \"1d\"", e.Message);
    }

    [Fact]
    public void Conversions_and_ordering()
    {
        Assert.Equal(TimeSpan.FromMinutes(90), Duration.Parse("1h30m").ToTimeSpan());
        Assert.Equal(Duration.Parse("90m"), Duration.FromTimeSpan(TimeSpan.FromHours(1.5)));
        Assert.True(Duration.Parse("59s") < Duration.Parse("1m"));
        Assert.False(Duration.Parse("0s").IsPositive);
        Assert.False(Duration.Parse("-1s").IsPositive);
    }
}
