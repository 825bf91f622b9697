using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace StageSet.Artifacts;

/// <summary>
/// The SSRF guard of flux-source-contract.md §2.1: a string check of the URL and a check of every address the host
/// resolves to. RFC 1918, CGNAT and ULA ranges stay allowed because in-cluster source-controllers live there.
/// </summary>
public static class UrlGuard
{
    /// <summary>Rejects a URL before any connection: bad scheme, missing host, localhost, forbidden IP literals.</summary>
    public static Uri CheckUrl(string url, IReadOnlySet<IPAddress>? exempt = null)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            throw ArtifactException.Terminal($"artifact URL \"{url}\" is not a valid absolute URL");
        }

        CheckUri(uri, exempt);
        return uri;
    }

    /// <summary>The string checks for a parsed URL (also applied to every redirect hop).</summary>
    public static void CheckUri(Uri uri, IReadOnlySet<IPAddress>? exempt = null)
    {
        CheckScheme(uri);
        var host = HostOf(uri);
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            throw ArtifactException.Terminal($"artifact URL host \"{uri.Host}\" is not allowed (localhost)");
        }

        if (ParseLiteral(host) is { } ip && IsForbidden(ip) && exempt?.Contains(ip) != true)
        {
            throw ArtifactException.Terminal(
                $"artifact URL host \"{uri.Host}\" is not allowed ({Describe(ip)} address {ip})");
        }
    }

    /// <summary>The scheme and host checks that stay on even when the network guard is disabled.</summary>
    public static void CheckScheme(Uri uri)
    {
        if (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
        {
            throw ArtifactException.Terminal(
                $"artifact URL scheme \"{uri.Scheme}\" is not allowed (only http and https)");
        }

        if (HostOf(uri).Length == 0)
        {
            throw ArtifactException.Terminal($"artifact URL \"{uri}\" has no host");
        }
    }

    /// <summary>Loopback, link-local (unicast and multicast), multicast and unspecified addresses.</summary>
    public static bool IsForbidden(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return b[0] == 127 // loopback
                   || (b[0] == 169 && b[1] == 254) // link-local incl. the cloud metadata endpoint
                   || (b[0] & 0xF0) == 224 // multicast (incl. link-local multicast)
                   || (b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] == 0); // unspecified
        }

        return IPAddress.IsLoopback(ip) || ip.IsIPv6LinkLocal || ip.IsIPv6Multicast
               || ip.Equals(IPAddress.IPv6Any);
    }

    internal static string Describe(IPAddress ip)
    {
        if (ip.IsIPv4MappedToIPv6)
        {
            ip = ip.MapToIPv4();
        }

        var b = ip.GetAddressBytes();
        return ip.AddressFamily == AddressFamily.InterNetwork
            ? b[0] switch
            {
                127 => "loopback",
                169 => "link-local",
                0 => "unspecified",
                _ => "multicast",
            }
            : IPAddress.IsLoopback(ip) ? "loopback"
            : ip.IsIPv6LinkLocal ? "link-local"
            : ip.IsIPv6Multicast ? "multicast"
            : "unspecified";
    }

    /// <summary>
    /// An IP literal in any spelling a resolver would accept: IPv6 (bracketed or not), dotted IPv4, and the
    /// inet_aton forms (<c>127.1</c>, <c>0x7f000001</c>, <c>2130706433</c>, <c>017700000001</c>).
    /// </summary>
    public static IPAddress? ParseLiteral(string host)
    {
        var h = host.Trim('[', ']');
        if (h.Contains(':', StringComparison.Ordinal))
        {
            return IPAddress.TryParse(h, out var v6) ? v6 : null;
        }

        return ParseInetAton(h);
    }

    private static IPAddress? ParseInetAton(string host)
    {
        var parts = host.Split('.');
        if (parts.Length is < 1 or > 4)
        {
            return null;
        }

        var values = new ulong[parts.Length];
        for (var i = 0; i < parts.Length; i++)
        {
            if (ParsePart(parts[i]) is not { } v)
            {
                return null;
            }

            values[i] = v;
        }

        ulong result = 0;
        for (var i = 0; i < values.Length - 1; i++)
        {
            if (values[i] > 255)
            {
                return null;
            }

            result |= values[i] << (8 * (3 - i));
        }

        var last = values[^1];
        var lastBits = 8 * (5 - values.Length);
        if (last >= 1UL << lastBits)
        {
            return null;
        }

        result |= last;
        return new IPAddress([(byte)(result >> 24), (byte)(result >> 16), (byte)(result >> 8), (byte)result]);
    }

    private static ulong? ParsePart(string part)
    {
        if (part.Length == 0 || part.Length > 32)
        {
            return null;
        }

        if (part.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var hex = part[2..];
            return hex.Length > 0 && ulong.TryParse(hex, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var h)
                ? h
                : null;
        }

        if (part.Length > 1 && part[0] == '0')
        {
            ulong v = 0;
            foreach (var c in part)
            {
                if (c is < '0' or > '7' || v > (ulong.MaxValue >> 3))
                {
                    return null;
                }

                v = (v << 3) | (uint)(c - '0');
            }

            return v;
        }

        foreach (var c in part)
        {
            if (!char.IsAsciiDigit(c))
            {
                return null;
            }
        }

        return ulong.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var d) ? d : null;
    }

    private static string HostOf(Uri uri) => uri.IdnHost.TrimEnd('.');
}
