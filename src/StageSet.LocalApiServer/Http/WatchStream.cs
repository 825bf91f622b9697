using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using StageSet.LocalApiServer.Faults;
using StageSet.LocalApiServer.Registry;
using StageSet.LocalApiServer.Semantics;
using StageSet.LocalApiServer.Storage;

namespace StageSet.LocalApiServer.Http;

/// <summary>
/// One watch response (api-server.md §4): initial events, then live changes as JSON lines, with selector transitions,
/// bookmarks, expiry as an ERROR event, timeouts and the fault behaviours of §10.
/// </summary>
internal sealed class WatchStream(ServerCore core, ApiRequest req)
{
    private readonly Channel<WatchControl> _control = Channel.CreateUnbounded<WatchControl>();
    private long _lastSentRv;
    private int _sentEvents;
    private bool _tableHeaderSent;

    public RequestFacts Facts { get; private set; } = null!;

    public void Close() => _control.Writer.TryWrite(WatchControl.Close);

    public void Bookmark() => _control.Writer.TryWrite(WatchControl.Bookmark);

    public async Task RunAsync(WatchFault? fault = null)
    {
        var rt = req.Resource;
        Facts = RequestFacts.From(req);
        var filter = ResourceHandler.ParseFilter(req);
        if (req.Info.Name.Length > 0)
        {
            filter = filter with { Fields = [.. filter.Fields, new SelectorTerm("metadata.name", "=", [req.Info.Name])] };
        }

        var ns = rt.Namespaced && req.Namespace.Length > 0 ? req.Namespace : null;
        var rvParam = req.QueryValue("resourceVersion");
        long? fromRv = rvParam is null or "" or "0" ? null : ParseRv(rvParam);
        var sendInitial = req.QueryBool("sendInitialEvents");
        if (sendInitial)
        {
            fromRv = null;
        }

        var bookmarks = req.QueryBool("allowWatchBookmarks");
        var timeout = TimeSpan.FromSeconds(req.QueryLong("timeoutSeconds") is { } t && t > 0 ? t : 1800);
        var table = Tables.Requested(req);
        var response = req.Http.Response;
        response.StatusCode = 200;
        response.ContentType = table ? Tables.ContentType : Responses.Json;
        await response.StartAsync(req.Http.RequestAborted);
        await response.Body.FlushAsync(req.Http.RequestAborted);

        StoreSubscription subscription;
        IReadOnlyList<StoreEvent> initial;
        try
        {
            subscription = core.Store.Subscribe(rt.StorageKey, ns, fromRv, out initial);
        }
        catch (ExpiredException e)
        {
            await WriteErrorEventAsync(ApiError.Expired(e.Message));
            return;
        }

        using var registration = core.Watches.Register(this);
        using var _ = subscription;
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(req.Http.RequestAborted);
        cts.CancelAfter(fault?.CloseAfter ?? timeout);
        if (fault?.CloseAfter is { } closeAfter && closeAfter < timeout)
        {
            cts.CancelAfter(closeAfter);
        }

        var token = cts.Token;
        try
        {
            if (fault?.Silent == true)
            {
                await Task.Delay(Timeout.Infinite, token);
                return;
            }

            if (fault?.MalformedLine == true)
            {
                await WriteRawAsync("{\"type\":\"ADDED\",\"object\":{\"kind\":\n", token);
                return;
            }

            if (fault?.InjectExpired == true)
            {
                await WriteErrorEventAsync(ApiError.Expired($"too old resource version: {fromRv ?? 0} ({core.Store.Floor})"));
                return;
            }

            if (fromRv is { } wanted && wanted > core.Store.CurrentResourceVersion && !await WaitForResourceVersionAsync(wanted, token))
            {
                var current = core.Store.CurrentResourceVersion;
                var details = new JsonObject
                {
                    ["causes"] = new JsonArray(new JsonObject
                    {
                        ["reason"] = "ResourceVersionTooLarge",
                        ["message"] = "Too large resource version",
                    }),
                    ["retryAfterSeconds"] = 1,
                };
                await WriteErrorEventAsync(ApiError.FromStatus(504, "Timeout", $"Too large resource version: {wanted}, current: {current}", details));
                return;
            }

            foreach (var e in initial)
            {
                if (await SendAsync(e, filter, synthetic: fromRv is null, fault, token))
                {
                    return;
                }
            }

            if (sendInitial)
            {
                await WriteBookmarkAsync(initialEventsEnd: true, token);
            }

            var bookmarkEvery = core.Options.BookmarkInterval;
            using var bookmarkTimer = new PeriodicTimer(bookmarkEvery, core.Clock);
            var nextEvent = subscription.Reader.WaitToReadAsync(token).AsTask();
            var nextControl = _control.Reader.ReadAsync(token).AsTask();
            var nextBookmark = bookmarkTimer.WaitForNextTickAsync(token).AsTask();
            while (!token.IsCancellationRequested)
            {
                var done = await Task.WhenAny(nextEvent, nextControl, nextBookmark);
                if (done == nextEvent)
                {
                    if (!await nextEvent)
                    {
                        return;
                    }

                    while (subscription.Reader.TryRead(out var e))
                    {
                        if (fromRv is { } from && e.ResourceVersion <= from)
                        {
                            continue;
                        }

                        if (await SendAsync(e, filter, synthetic: false, fault, token))
                        {
                            return;
                        }
                    }

                    nextEvent = subscription.Reader.WaitToReadAsync(token).AsTask();
                }
                else if (done == nextControl)
                {
                    var control = await nextControl;
                    if (control == WatchControl.Close)
                    {
                        return;
                    }

                    if (fault?.SuppressBookmarks != true && (bookmarks || fault?.ForceBookmarks == true))
                    {
                        await DrainAndBookmarkAsync(subscription, filter, fromRv, fault, token);
                    }

                    nextControl = _control.Reader.ReadAsync(token).AsTask();
                }
                else
                {
                    if (!await nextBookmark)
                    {
                        return;
                    }

                    if (fault?.SuppressBookmarks != true && (bookmarks || fault?.ForceBookmarks == true))
                    {
                        await DrainAndBookmarkAsync(subscription, filter, fromRv, fault, token);
                    }

                    nextBookmark = bookmarkTimer.WaitForNextTickAsync(token).AsTask();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // timeoutSeconds, a fault closing the watch, or the client going away: end the stream cleanly.
        }
        catch (IOException)
        {
        }
    }

    private async Task<bool> WaitForResourceVersionAsync(long wanted, CancellationToken token)
    {
        var deadline = core.Clock.GetUtcNow() + TimeSpan.FromSeconds(3);
        while (core.Clock.GetUtcNow() < deadline)
        {
            if (core.Store.CurrentResourceVersion >= wanted)
            {
                return true;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), core.Clock, token);
        }

        return core.Store.CurrentResourceVersion >= wanted;
    }

    private async Task DrainAndBookmarkAsync(StoreSubscription subscription, ObjectFilter filter, long? fromRv, WatchFault? fault, CancellationToken token)
    {
        // Everything up to this resourceVersion is already queued (writes publish under the store lock), so after
        // draining the queue a bookmark at it never runs ahead of an event still to come.
        var current = core.Store.CurrentResourceVersion;
        while (subscription.Reader.TryRead(out var e))
        {
            if (fromRv is { } from && e.ResourceVersion <= from)
            {
                continue;
            }

            if (await SendAsync(e, filter, synthetic: false, fault, token))
            {
                return;
            }
        }

        await WriteBookmarkAsync(initialEventsEnd: false, token, Math.Max(current, _lastSentRv));
    }

    /// <summary>Sends the event if it matters to this watch; returns true when a fault says to stop.</summary>
    private async Task<bool> SendAsync(StoreEvent e, ObjectFilter filter, bool synthetic, WatchFault? fault, CancellationToken token)
    {
        var nowMatches = filter.Matches(e.Object.Index);
        var wasMatching = e.Previous is not null && filter.Matches(e.Previous.Index);
        string? type = e.Type switch
        {
            WatchEventType.Added => nowMatches ? "ADDED" : null,
            WatchEventType.Modified when synthetic => nowMatches ? "ADDED" : null,
            WatchEventType.Modified => (wasMatching, nowMatches) switch
            {
                (true, true) => "MODIFIED",
                (false, true) => "ADDED",
                (true, false) => "DELETED",
                _ => null,
            },
            WatchEventType.Deleted => wasMatching ? "DELETED" : null,
            _ => null,
        };
        if (type is null || e.ResourceVersion <= _lastSentRv && !synthetic)
        {
            return false;
        }

        await WriteEventAsync(type, e.Object, token);
        _lastSentRv = Math.Max(_lastSentRv, e.ResourceVersion);
        _sentEvents++;
        return fault?.CloseAfterEvents is { } n && _sentEvents >= n;
    }

    private async Task WriteEventAsync(string type, StoredObject obj, CancellationToken token)
    {
        var rt = req.Resource;
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, JsonWire.WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("object");
            if (Tables.Requested(req))
            {
                var tableObj = Tables.Build(req, core, [obj], obj.ResourceVersion, null, null, includeColumns: !_tableHeaderSent);
                _tableHeaderSent = true;
                tableObj.WriteTo(writer);
            }
            else if (rt.IsCustom && rt.Custom!.StorageVersion != rt.Version)
            {
                ListRendering.Present(rt, obj).WriteTo(writer);
            }
            else
            {
                writer.WriteRawValue(obj.Json, skipInputValidation: true);
            }

            writer.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        await req.Http.Response.Body.WriteAsync(buffer.ToArray(), token);
        await req.Http.Response.Body.FlushAsync(token);
    }

    private async Task WriteBookmarkAsync(bool initialEventsEnd, CancellationToken token, long? rv = null)
    {
        var rt = req.Resource;
        var value = rv ?? Math.Max(core.Store.CurrentResourceVersion, _lastSentRv);
        var meta = new JsonObject { ["resourceVersion"] = value.ToString(CultureInfo.InvariantCulture) };
        if (initialEventsEnd)
        {
            meta["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" };
        }

        var line = new JsonObject
        {
            ["type"] = "BOOKMARK",
            ["object"] = new JsonObject { ["kind"] = rt.Kind, ["apiVersion"] = rt.ApiVersion, ["metadata"] = meta },
        };
        _lastSentRv = Math.Max(_lastSentRv, value);
        await WriteRawAsync(JsonSerializer.Serialize(line, JsonWire.Options) + "\n", token);
    }

    private async Task WriteErrorEventAsync(ApiError error)
    {
        var line = new JsonObject { ["type"] = "ERROR", ["object"] = error.Status };
        await WriteRawAsync(JsonSerializer.Serialize(line, JsonWire.Options) + "\n", req.Http.RequestAborted);
    }

    private async Task WriteRawAsync(string text, CancellationToken token)
    {
        await req.Http.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token);
        await req.Http.Response.Body.FlushAsync(token);
    }

    private static long ParseRv(string value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var rv)
            ? rv
            : throw ApiError.BadRequest($"invalid resource version: {value}");
}

internal enum WatchControl
{
    Close,
    Bookmark,
}
