using StageSet.LocalApiServer.Http;

namespace StageSet.LocalApiServer.Faults;

/// <summary>The open watch streams, so tests can count, close or bookmark them.</summary>
internal sealed class WatchRegistry
{
    private readonly Lock _lock = new();
    private readonly List<WatchStream> _open = [];

    public IDisposable Register(WatchStream stream)
    {
        lock (_lock)
        {
            _open.Add(stream);
        }

        return new Registration(this, stream);
    }

    public int Count(RequestMatch match)
    {
        lock (_lock)
        {
            return _open.Count(s => match.Matches(s.Facts));
        }
    }

    public int Close(RequestMatch match)
    {
        List<WatchStream> hit;
        lock (_lock)
        {
            hit = _open.Where(s => match.Matches(s.Facts)).ToList();
        }

        foreach (var s in hit)
        {
            s.Close();
        }

        return hit.Count;
    }

    public void Bookmark()
    {
        List<WatchStream> all;
        lock (_lock)
        {
            all = [.. _open];
        }

        foreach (var s in all)
        {
            s.Bookmark();
        }
    }

    private sealed class Registration(WatchRegistry owner, WatchStream stream) : IDisposable
    {
        public void Dispose()
        {
            lock (owner._lock)
            {
                owner._open.Remove(stream);
            }
        }
    }
}
