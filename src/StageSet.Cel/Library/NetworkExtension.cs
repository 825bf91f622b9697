using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace StageSet.Cel.Library;

/// <summary>An IP address (<c>net.IP</c>); IPv4-mapped IPv6 addresses are held as IPv4 so they compare equal.</summary>
internal sealed class CelIp : CelValue
{
    public static readonly CelType IpType = CelType.Opaque("net.IP");

    public CelIp(IPAddress address) => Address = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public IPAddress Address { get; }

    public override CelType Type => IpType;

    public override bool CelEquals(CelValue other) => other is CelIp ip && ip.Address.Equals(Address);

    public override JsonNode? ToJson() => JsonValue.Create(Address.ToString());

    internal override void AppendTo(StringBuilder sb) => sb.Append("ip(\"").Append(Address).Append("\")");
}

/// <summary>A network prefix (<c>net.CIDR</c>): an address and a prefix length.</summary>
internal sealed class CelCidr : CelValue
{
    public static readonly CelType CidrType = CelType.Opaque("net.CIDR");

    public CelCidr(CelIp ip, int prefixLength)
    {
        Ip = ip;
        PrefixLength = prefixLength;
    }

    public CelIp Ip { get; }

    public int PrefixLength { get; }

    public override CelType Type => CidrType;

    public override bool CelEquals(CelValue other) => other is CelCidr c && c.Ip.CelEquals(Ip) && c.PrefixLength == PrefixLength;

    public override JsonNode? ToJson() => JsonValue.Create(ToString());

    public override string ToString() => Ip.Address + "/" + PrefixLength;

    internal override void AppendTo(StringBuilder sb) => sb.Append("cidr(\"").Append(ToString()).Append("\")");

    public CelCidr Masked() => new(new CelIp(Mask(Ip.Address, PrefixLength)), PrefixLength);

    public bool Contains(CelIp ip) =>
        ip.Address.AddressFamily == Ip.Address.AddressFamily && Mask(ip.Address, PrefixLength).Equals(Mask(Ip.Address, PrefixLength));

    public static IPAddress Mask(IPAddress address, int bits)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(bits - i * 8, 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }

        return new IPAddress(bytes);
    }
}

/// <summary>cel-go's network extension (as in Kubernetes): <c>ip()</c>, <c>cidr()</c> and their predicates.</summary>
internal static partial class NetworkExtension
{
    public static void Register(FunctionSetBuilder b)
    {
        var ip = CelIp.IpType;
        var cidr = CelCidr.CidrType;
        var str = CelType.String;
        var boolT = CelType.Bool;
        b.Global("ip", "string_to_ip", [str], ip, s => ParseIp(((CelString)s).Value));
        b.Global("isIP", "is_ip_string", [str], boolT, s => CelBool.Of(ParseIp(((CelString)s).Value) is CelIp));
        b.Global("ip.isCanonical", "ip_is_canonical_string", [str], boolT, s => ParseIp(((CelString)s).Value) switch
        {
            CelIp parsed => CelBool.Of(parsed.Address.ToString() == ((CelString)s).Value),
            var error => error,
        });
        b.Global("string", "ip_to_string", [ip], str, x => new CelString(((CelIp)x).Address.ToString()));
        b.Member("family", "ip_family", [ip], CelType.Int, x => CelInt.Of(((CelIp)x).Address.AddressFamily == AddressFamily.InterNetwork ? 4 : 6));
        b.Member("isUnspecified", "ip_is_unspecified", [ip], boolT, x => CelBool.Of(IsUnspecified(((CelIp)x).Address)));
        b.Member("isLoopback", "ip_is_loopback", [ip], boolT, x => CelBool.Of(IPAddress.IsLoopback(((CelIp)x).Address)));
        b.Member("isGlobalUnicast", "ip_is_global_unicast", [ip], boolT, x => CelBool.Of(IsGlobalUnicast(((CelIp)x).Address)));
        b.Member("isLinkLocalMulticast", "ip_is_link_local_multicast", [ip], boolT, x => CelBool.Of(IsLinkLocalMulticast(((CelIp)x).Address)));
        b.Member("isLinkLocalUnicast", "ip_is_link_local_unicast", [ip], boolT, x => CelBool.Of(IsLinkLocalUnicast(((CelIp)x).Address)));

        b.Global("cidr", "string_to_cidr", [str], cidr, s => ParseCidr(((CelString)s).Value));
        b.Global("isCIDR", "is_cidr_string", [str], boolT, s => CelBool.Of(ParseCidr(((CelString)s).Value) is CelCidr));
        b.Global("string", "cidr_to_string", [cidr], str, (CelValue x) => new CelString(((CelCidr)x).ToString()));
        b.Member("containsIP", "cidr_contains_ip_ip", [cidr, ip], boolT, (c, x) => CelBool.Of(((CelCidr)c).Contains((CelIp)x)));
        b.Member("containsIP", "cidr_contains_ip_string", [cidr, str], boolT, (c, x) => ParseIp(((CelString)x).Value) switch
        {
            CelIp parsed => CelBool.Of(((CelCidr)c).Contains(parsed)),
            var error => error,
        });
        b.Member("containsCIDR", "cidr_contains_cidr_cidr", [cidr, cidr], boolT, (c, o) => CelBool.Of(ContainsCidr((CelCidr)c, (CelCidr)o)));
        b.Member("containsCIDR", "cidr_contains_cidr_string", [cidr, str], boolT, (c, o) => ParseCidr(((CelString)o).Value) switch
        {
            CelCidr parsed => CelBool.Of(ContainsCidr((CelCidr)c, parsed)),
            var error => error,
        });
        b.Member("ip", "cidr_ip", [cidr], ip, c => ((CelCidr)c).Ip);
        b.Member("masked", "cidr_masked", [cidr], cidr, c => ((CelCidr)c).Masked());
        b.Member("prefixLength", "cidr_prefix_length", [cidr], CelType.Int, c => CelInt.Of(((CelCidr)c).PrefixLength));
    }

    /// <summary>Strict parsing as Go's netip: dotted-quad IPv4 without leading zeros, IPv6 without zones, and no
    /// dotted IPv4-mapped IPv6 form.</summary>
    public static CelValue ParseIp(string text)
    {
        var error = new CelError($"IP Address '{text}' parse error during conversion from string");
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return new CelError("IP Address with zone value is not allowed");
        }

        if (text.Contains(':', StringComparison.Ordinal))
        {
            if (!IPAddress.TryParse(text, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return error;
            }

            return text.Contains('.', StringComparison.Ordinal) && v6.IsIPv4MappedToIPv6
                ? new CelError("IPv4-mapped IPv6 address is not allowed")
                : new CelIp(v6);
        }

        return DottedQuad().IsMatch(text) ? new CelIp(IPAddress.Parse(text)) : error;
    }

    public static CelValue ParseCidr(string text)
    {
        var slash = text.LastIndexOf('/');
        if (text.Contains('%', StringComparison.Ordinal))
        {
            return new CelError("CIDR with zone value is not allowed");
        }

        var error = new CelError($"network address '{text}' parse error during conversion from string");
        if (slash < 0 || !int.TryParse(text.AsSpan(slash + 1), System.Globalization.NumberStyles.None, null, out var bits))
        {
            return error;
        }

        var ip = ParseIp(text[..slash]);
        if (ip is not CelIp address)
        {
            return ip is CelError e && e.Message.Contains("IPv4-mapped", StringComparison.Ordinal) ? e : error;
        }

        var max = address.Address.AddressFamily == AddressFamily.InterNetwork ? 32 : 128;
        return bits > max ? error : new CelCidr(address, bits);
    }

    private static bool ContainsCidr(CelCidr outer, CelCidr inner) => inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.Ip);

    private static bool IsUnspecified(IPAddress a) => a.Equals(IPAddress.Any) || a.Equals(IPAddress.IPv6Any);

    private static bool IsLinkLocalUnicast(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return a.AddressFamily == AddressFamily.InterNetwork ? b[0] == 169 && b[1] == 254 : b[0] == 0xfe && (b[1] & 0xc0) == 0x80;
    }

    private static bool IsLinkLocalMulticast(IPAddress a)
    {
        var b = a.GetAddressBytes();
        return a.AddressFamily == AddressFamily.InterNetwork ? b[0] == 224 && b[1] == 0 && b[2] == 0 : b[0] == 0xff && (b[1] & 0x0f) == 0x02;
    }

    /// <summary>Go's definition: anything but unspecified, loopback, multicast, link-local unicast and broadcast.</summary>
    private static bool IsGlobalUnicast(IPAddress a)
    {
        var b = a.GetAddressBytes();
        var multicast = a.AddressFamily == AddressFamily.InterNetwork ? b[0] >= 224 && b[0] <= 239 : b[0] == 0xff;
        var broadcast = a.Equals(IPAddress.Broadcast);
        return !IsUnspecified(a) && !IPAddress.IsLoopback(a) && !multicast && !IsLinkLocalUnicast(a) && !broadcast;
    }

    [GeneratedRegex(@"^(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}$")]
    private static partial Regex DottedQuad();
}
