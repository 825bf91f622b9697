using System.Net;

namespace StageSet.Artifacts.Tests;

public sealed class UrlGuardTests
{
    [Theory]
    [InlineData("http://localhost/a.tgz")]
    [InlineData("http://LocalHost./a.tgz")]
    [InlineData("http://127.0.0.1/a.tgz")]
    [InlineData("http://127.1/a.tgz")]
    [InlineData("http://0x7f000001/a.tgz")]
    [InlineData("http://2130706433/a.tgz")]
    [InlineData("http://017700000001/a.tgz")]
    [InlineData("http://0177.0.0.1/a.tgz")]
    [InlineData("http://169.254.169.254/latest/meta-data")]
    [InlineData("http://224.0.0.1/a.tgz")]
    [InlineData("http://239.255.255.250/a.tgz")]
    [InlineData("http://0.0.0.0/a.tgz")]
    [InlineData("http://0/a.tgz")]
    [InlineData("http://[::1]/a.tgz")]
    [InlineData("http://[::]/a.tgz")]
    [InlineData("http://[fe80::1]/a.tgz")]
    [InlineData("http://[ff02::1]/a.tgz")]
    [InlineData("http://[::ffff:127.0.0.1]/a.tgz")]
    public void Forbidden_hosts_are_refused_terminally(string url)
    {
        var e = Assert.Throws<ArtifactException>(() => UrlGuard.CheckUrl(url));
        Assert.True(e.IsTerminal);
        Assert.Contains("is not allowed", e.Message);
    }

    [Theory]
    [InlineData("ftp://example.com/a.tgz", "scheme \"ftp\"")]
    [InlineData("file:///etc/passwd", "scheme \"file\"")]
    [InlineData("not a url", "not a valid absolute URL")]
    public void Bad_schemes_and_urls_are_refused(string url, string expected)
    {
        var e = Assert.Throws<ArtifactException>(() => UrlGuard.CheckUrl(url));
        Assert.True(e.IsTerminal);
        Assert.Contains(expected, e.Message);
    }

    [Theory]
    [InlineData("http://source-controller.flux-system.svc.cluster.local./gitrepository/a.tgz")]
    [InlineData("http://10.0.0.1/a.tgz")]
    [InlineData("http://192.168.1.20:9090/a.tgz")]
    [InlineData("http://172.16.0.5/a.tgz")]
    [InlineData("http://100.64.0.1/a.tgz")]
    [InlineData("http://[fd00::1]/a.tgz")]
    [InlineData("https://artifacts.example.com/a.tgz")]
    public void Private_and_public_hosts_are_allowed(string url) => UrlGuard.CheckUrl(url);

    [Theory]
    [InlineData("127.1", "127.0.0.1")]
    [InlineData("0x7f000001", "127.0.0.1")]
    [InlineData("2130706433", "127.0.0.1")]
    [InlineData("017700000001", "127.0.0.1")]
    [InlineData("10.1", "10.0.0.1")]
    [InlineData("192.168.257", "192.168.1.1")]
    [InlineData("1.2.3.4", "1.2.3.4")]
    public void Inet_aton_spellings_parse_like_the_resolver(string host, string expected) =>
        Assert.Equal(IPAddress.Parse(expected), UrlGuard.ParseLiteral(host));

    [Theory]
    [InlineData("256.1.1.1")]
    [InlineData("1.2.3.4.5")]
    [InlineData("example.com")]
    [InlineData("08.1.1.1")]
    [InlineData("4294967296")]
    public void Non_literals_are_not_addresses(string host) => Assert.Null(UrlGuard.ParseLiteral(host));
}
