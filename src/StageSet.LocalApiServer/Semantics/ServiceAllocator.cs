using System.Globalization;
using StageSet.LocalApiServer.Admission;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Semantics;

/// <summary>
/// Service cluster IPs (10.0.0.0/24; .1 is the <c>kubernetes</c> Service) and node ports (30000-32767) for one server.
/// A cursor walks each range so a value just handed out (not stored yet) is not handed out again right away; values a
/// stored Service holds are skipped.
/// </summary>
internal sealed class ServiceAllocator(ObjectStore store) : IAllocationContext
{
    private const int FirstHost = 2;
    private const int LastHost = 254;
    private const int FirstPort = 30000;
    private const int LastPort = 32767;

    private readonly Lock _lock = new();
    private int _nextHost = FirstHost;
    private int _nextPort = FirstPort;

    public string AllocateClusterIp()
    {
        lock (_lock)
        {
            var host = Next(ref _nextHost, FirstHost, LastHost, h => $"10.0.0.{h}", Used(spec => [spec?["clusterIP"]?.ToString()]))
                ?? throw Http.ApiError.Internal("failed to allocate a serviceIP: range is full");
            return $"10.0.0.{host}";
        }
    }

    public int AllocateNodePort()
    {
        lock (_lock)
        {
            return Next(ref _nextPort, FirstPort, LastPort, p => p.ToString(CultureInfo.InvariantCulture),
                    Used(spec => (spec?["ports"]?.AsArray() ?? []).Select(p => p?["nodePort"]?.ToString())))
                ?? throw Http.ApiError.Internal("failed to allocate a nodePort: range is full");
        }
    }

    private static int? Next(ref int cursor, int first, int last, Func<int, string> format, HashSet<string> used)
    {
        for (var i = 0; i <= last - first; i++)
        {
            var candidate = cursor;
            cursor = cursor == last ? first : cursor + 1;
            if (!used.Contains(format(candidate)))
            {
                return candidate;
            }
        }

        return null;
    }

    private HashSet<string> Used(Func<System.Text.Json.Nodes.JsonNode?, IEnumerable<string?>> values)
    {
        var used = new HashSet<string>();
        foreach (var service in store.List("services", null).Items)
        {
            foreach (var v in values(service.ToJsonObject()["spec"]))
            {
                if (v is not null)
                {
                    used.Add(v);
                }
            }
        }

        return used;
    }
}
