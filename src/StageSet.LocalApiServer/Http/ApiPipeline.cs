using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using StageSet.LocalApiServer.Authentication;
using StageSet.LocalApiServer.Authorization;
using StageSet.LocalApiServer.Faults;

namespace StageSet.LocalApiServer.Http;

/// <summary>
/// Every request: parse, authenticate, impersonate, fault rules, authorize, dispatch, account. Errors become Status
/// bodies; nothing a client sends can take the server down.
/// </summary>
internal sealed class ApiPipeline(ServerCore core)
{
    public async Task HandleAsync(HttpContext http)
    {
        var started = Stopwatch.GetTimestamp();
        var request = http.Request;
        var path = request.Path.Value ?? "/";
        var info = RequestInfo.Parse(request.Method, path, request.Query["watch"] is { Count: > 0 } w && w[^1] is "true" or "1");
        var caller = Identities.Anonymous;
        var effective = caller;
        var injected = false;
        try
        {
            caller = core.Authenticator.Authenticate(
                request.Headers.Authorization.Count > 0 ? request.Headers.Authorization.ToString() : null,
                http.Connection.ClientCertificate) ?? throw ApiError.Unauthorized();
            effective = caller;
            effective = Impersonation.Resolve(request, caller, core.Access);
            var facts = RequestFacts.From(info, request.ContentType, effective.Name, request.Headers.UserAgent.ToString(), path);
            var fault = core.Faults.Decide(facts);
            if (core.Faults.GlobalLatency > TimeSpan.Zero)
            {
                await Task.Delay(core.Faults.GlobalLatency, core.Clock, http.RequestAborted);
            }

            WatchFault? watchFault = null;
            if (fault is not null)
            {
                injected = true;
                watchFault = await ApplyFaultAsync(http, info, fault);
                if (watchFault is null && fault is not FaultAction.DelayAction)
                {
                    return;
                }

                injected = fault is not FaultAction.DelayAction;
            }

            Authorize(http, info, effective);
            await DispatchAsync(http, info, effective, watchFault);
        }
        catch (ApiError e)
        {
            if (!http.Response.HasStarted)
            {
                await Responses.WriteErrorAsync(http.Response, e);
            }
        }
        catch (OperationCanceledException) when (http.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            if (!http.Response.HasStarted)
            {
                await Responses.WriteErrorAsync(http.Response, ApiError.Internal(e.Message));
            }
        }
        finally
        {
            Record(http, info, caller, effective, started, injected);
        }
    }

    private async Task DispatchAsync(HttpContext http, RequestInfo info, UserInfo user, WatchFault? watchFault)
    {
        var path = info.Path;
        CheckAccept(http, path);
        if (!info.IsResourceRequest)
        {
            await new NonResourceEndpoints(core).HandleAsync(http, info);
            return;
        }

        var registry = core.Registry.Current;
        var rt = registry.Find(info.ApiGroup, info.ApiVersion, info.Resource);
        if (rt is null || (!rt.Namespaced && info.Namespace.Length > 0 && info.Resource != "namespaces"))
        {
            throw ApiError.NotFoundPath();
        }

        var req = new ApiRequest(http, info, user) { Resource = rt };
        if (info.Verb == "watch" && watchFault is not null)
        {
            await new WatchStream(core, req).RunAsync(watchFault);
            return;
        }

        await core.Resources.HandleAsync(req);
    }

    private void Authorize(HttpContext http, RequestInfo info, UserInfo user)
    {
        if (user.IsMaster)
        {
            return;
        }

        var name = info.Name;
        if (name.Length == 0 && info.Verb is "list" or "watch")
        {
            // list/watch pinned to one object by fieldSelector=metadata.name=x are authorized as that name.
            name = PinnedName(http.Request.Query["fieldSelector"].ToString()) ?? "";
        }

        var request = new RequestAttributes(user, info.Verb, info.IsResourceRequest, info.Path,
            info.ApiGroup, info.ApiVersion, info.Resource, info.Subresource, info.Namespace, name);
        var decision = core.Access.Authorize(request);
        if (!decision.Allowed)
        {
            throw ApiError.Forbidden(core.Access.ForbiddenMessage(request, decision),
                info.IsResourceRequest ? ApiError.Details(info.Name, info.ApiGroup, info.Resource) : new JsonObject());
        }
    }

    private static string? PinnedName(string fieldSelector)
    {
        foreach (var term in fieldSelector.Split(',', StringSplitOptions.TrimEntries))
        {
            foreach (var op in new[] { "==", "=" })
            {
                if (term.StartsWith("metadata.name" + op, StringComparison.Ordinal) && !term.StartsWith("metadata.name!=", StringComparison.Ordinal))
                {
                    return term[("metadata.name" + op).Length..];
                }
            }
        }

        return null;
    }

    private static void CheckAccept(HttpContext http, string path)
    {
        var accept = http.Request.Headers.Accept.ToString();
        if (accept.Length == 0)
        {
            return;
        }

        foreach (var part in accept.Split(','))
        {
            var media = part.Split(';')[0].Trim().ToLowerInvariant();
            if (media is "application/json" or "*/*" or "application/*" or "" || path.StartsWith("/openapi/v2", StringComparison.Ordinal))
            {
                return;
            }
        }

        throw ApiError.NotAcceptable(["application/json", "application/yaml", "application/vnd.kubernetes.protobuf"]);
    }

    /// <summary>Carries out a fault action; returns the watch behaviour when the request should still be served as a watch.</summary>
    private async Task<WatchFault?> ApplyFaultAsync(HttpContext http, RequestInfo info, FaultAction action)
    {
        switch (action)
        {
            case FaultAction.RespondAction r:
                foreach (var (name, value) in r.Headers)
                {
                    http.Response.Headers[name] = value;
                }

                http.Response.StatusCode = r.Code;
                http.Response.ContentType = r.ContentType;
                await http.Response.WriteAsync(r.Body);
                return null;
            case FaultAction.PresetAction p:
                await Responses.WriteErrorAsync(http.Response, Preset(info, p));
                return null;
            case FaultAction.DelayAction d:
                var span = d.Max - d.Min;
                var delay = d.Min + (span > TimeSpan.Zero ? TimeSpan.FromTicks((long)(Random.Shared.NextDouble() * span.Ticks)) : TimeSpan.Zero);
                await Task.Delay(delay, core.Clock, http.RequestAborted);
                return null;
            case FaultAction.HangAction:
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                return null;
            case FaultAction.AbortAction:
                http.Abort();
                return null;
            case FaultAction.WatchAction watch when info.Verb == "watch":
                return watch.Behaviour;
            default:
                return new WatchFault();
        }
    }

    private static ApiError Preset(RequestInfo info, FaultAction.PresetAction p)
    {
        var gr = info.ApiGroup.Length == 0 ? info.Resource : info.Resource + "." + info.ApiGroup;
        return p.Kind switch
        {
            FaultAction.Preset.InternalError => ApiError.Internal(p.Message),
            FaultAction.Preset.ServiceUnavailable => ApiError.FromStatus(503, "ServiceUnavailable", "the server is currently unable to handle the request"),
            FaultAction.Preset.Timeout => ApiError.Timeout(),
            FaultAction.Preset.Conflict => ApiError.FromStatus(409, "Conflict",
                $"Operation cannot be fulfilled on {gr} \"{info.Name}\": the object has been modified; please apply your changes to the latest version and try again",
                ApiError.Details(info.Name, info.ApiGroup, info.Resource)),
            FaultAction.Preset.Expired => ApiError.Expired("too old resource version: 1 (2)"),
            FaultAction.Preset.TooManyRequestsText => ApiError.Text(429, "Too many requests, please try again later.\n",
                new Dictionary<string, string> { ["Retry-After"] = p.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture) }),
            _ => TooManyRequests(p.RetryAfterSeconds),
        };
    }

    private static ApiError TooManyRequests(int retryAfter)
    {
        var details = new JsonObject { ["retryAfterSeconds"] = retryAfter };
        var e = ApiError.FromStatus(429, "TooManyRequests", "The server has received too many requests and has asked us to try again later", details);
        return e;
    }

    private void Record(HttpContext http, RequestInfo info, UserInfo caller, UserInfo effective, long started, bool injected)
    {
        var request = http.Request;
        var facts = RequestFacts.From(info, request.ContentType, effective.Name, request.Headers.UserAgent.ToString(), info.Path);
        var media = (request.ContentType ?? "").Split(';')[0].Trim();
        core.Log.Add(new RequestRecord(
            core.Log.NextSeq(),
            core.Clock.GetUtcNow(),
            request.Method,
            info.Path,
            request.QueryString.Value ?? "",
            facts,
            effective.Name != caller.Name ? effective.Name : "",
            caller.Name,
            request.Query["fieldManager"].ToString(),
            request.Method == "PATCH" ? media : "",
            request.Query["dryRun"].Count > 0,
            http.Response.StatusCode,
            Stopwatch.GetElapsedTime(started),
            injected));
    }
}
