using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using Server = StageSet.LocalApiServer.LocalApiServer;

// Requests per second for GET, LIST (1,000 objects), SSA PATCH and watch fan-out (100 watchers) against one server.
// Wall-clock rates depend on how busy the (shared) machine is, so each line also reports the process CPU time per
// operation; client and server run in this one process, so that figure covers both ends of the HTTP exchange.
var seconds = args.Length > 0 && double.TryParse(args[0], System.Globalization.CultureInfo.InvariantCulture, out var s) ? s : 5;
await using var server = await Server.StartAsync();
using var http = server.CreateHttpClient();
const string ns = "bench";
await Send(HttpMethod.Post, "/api/v1/namespaces", "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"bench\"}}");
for (var i = 0; i < 1000; i++)
{
    await Send(HttpMethod.Post, $"/api/v1/namespaces/{ns}/configmaps",
        $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"cm-{i:D4}\",\"labels\":{{\"app\":\"bench\"}}}},\"data\":{{\"k\":\"{i}\"}}}}");
}

Report("GET configmap", await Rate(i => Send(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps/cm-{i % 1000:D4}")));
Report("LIST 1,000 configmaps", await Rate(_ => Send(HttpMethod.Get, $"/api/v1/namespaces/{ns}/configmaps")));
Report("SSA PATCH configmap", await Rate(i => Send(HttpMethod.Patch, $"/api/v1/namespaces/{ns}/configmaps/ssa-{i % 50}?fieldManager=bench&force=true",
    $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"ssa-{i % 50}\"}},\"data\":{{\"n\":\"{i}\"}}}}", "application/apply-patch+yaml")));

// Watch fan-out: 100 watchers, writes as fast as one writer can go, events delivered per second across watchers.
using var cts = new CancellationTokenSource();
var delivered = 0L;
var watchers = new List<Task>();
for (var w = 0; w < 100; w++)
{
    watchers.Add(Task.Run(async () =>
    {
        using var client = server.CreateHttpClient();
        client.Timeout = Timeout.InfiniteTimeSpan;
        var rv = server.CurrentResourceVersion;
        using var response = await client.GetAsync($"/api/v1/namespaces/{ns}/configmaps?watch=1&resourceVersion={rv}", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        try
        {
            while (await reader.ReadLineAsync(cts.Token) is not null)
            {
                Interlocked.Increment(ref delivered);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }));
}

while (server.OpenWatches() < 100)
{
    await Task.Delay(10);
}

var writes = 0;
var fanOutCpu = Process.GetCurrentProcess().TotalProcessorTime;
var clock = Stopwatch.StartNew();
while (clock.Elapsed.TotalSeconds < seconds)
{
    await Send(HttpMethod.Put, $"/api/v1/namespaces/{ns}/configmaps/cm-0000",
        $"{{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{{\"name\":\"cm-0000\"}},\"data\":{{\"k\":\"{writes++}\"}}}}");
}

var expected = writes * 100L;
while (Interlocked.Read(ref delivered) < expected && clock.Elapsed.TotalSeconds < seconds * 3)
{
    await Task.Delay(10);
}

var elapsed = clock.Elapsed.TotalSeconds;
var fanOutCpuPerEvent = (Process.GetCurrentProcess().TotalProcessorTime - fanOutCpu).TotalMicroseconds / Math.Max(1, Interlocked.Read(ref delivered));
await cts.CancelAsync();
await Task.WhenAll(watchers);
Console.WriteLine($"{"watch fan-out (100 watchers)",-28} {delivered / elapsed,10:F0} events/s delivered ({writes / elapsed:F0} writes/s, {delivered}/{expected} events, {fanOutCpuPerEvent:F0} µs CPU/event)");
return 0;

async Task<(double PerSecond, double CpuMicroseconds)> Rate(Func<int, Task> request)
{
    const int concurrency = 4;
    var count = 0;
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var watch = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
    {
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await request(Interlocked.Increment(ref count));
        }
    }));
    var cpuUsed = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    return (count / watch.Elapsed.TotalSeconds, cpuUsed.TotalMicroseconds / count);
}

void Report(string what, (double PerSecond, double CpuMicroseconds) rate) =>
    Console.WriteLine($"{what,-28} {rate.PerSecond,10:F0} req/s {rate.CpuMicroseconds,10:F0} µs CPU/req");

async Task Send(HttpMethod method, string path, string? body = null, string contentType = "application/json")
{
    using var request = new HttpRequestMessage(method, path);
    if (body is not null)
    {
        request.Content = new StringContent(body, Encoding.UTF8);
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
    }

    using var response = await http.SendAsync(request);
    if (!response.IsSuccessStatusCode)
    {
        throw new InvalidOperationException($"{method} {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    await response.Content.ReadAsByteArrayAsync();
}
