namespace StageSet.Manifests.Tests;

public sealed class KubeNamesTests
{
    [Theory]
    [InlineData("app", true)]
    [InlineData("app.kubernetes.io/name", true)]
    [InlineData("a/b/c", false)]
    [InlineData("/a", false)]
    [InlineData("a\n", false)]
    [InlineData("-a", false)]
    public void Qualified_names(string key, bool valid) => Assert.Equal(valid, KubeNames.QualifiedNameErrors(key).Count == 0);

    [Theory]
    [InlineData("", true)]
    [InlineData("v1.2_x-y", true)]
    [InlineData("a\n", false)]
    [InlineData("a b", false)]
    public void Label_values(string value, bool valid) => Assert.Equal(valid, KubeNames.LabelValueErrors(value).Count == 0);

    [Fact]
    public void Messages_match_apimachinery()
    {
        Assert.Equal(["prefix part must be non-empty"], KubeNames.QualifiedNameErrors("/a"));
        Assert.Equal(
            ["must be no more than 253 characters", "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
            KubeNames.SubdomainErrors(new string('A', 254)));
    }
}
