using System.Diagnostics;
using System.Text.Json.Nodes;
using StageSet.Cel;

// Run by hand: dotnet run -c Release --project bench/StageSet.Cel.Bench [-- seconds]
// Measures compiling and evaluating a typical ready check against a Deployment-like object with five conditions.
const string Expression = "status.conditions.exists(c, c.type == 'Ready' && c.status == 'True')";
var seconds = args.Length > 0 && double.TryParse(args[0], out var s) ? s : 3.0;

var deployment = (JsonObject)JsonNode.Parse("""
    {
      "apiVersion": "apps/v1", "kind": "Deployment",
      "metadata": {"name": "web", "namespace": "prod", "generation": 7, "labels": {"app": "web", "tier": "frontend"},
                   "annotations": {"deployment.kubernetes.io/revision": "7"}},
      "spec": {"replicas": 3, "selector": {"matchLabels": {"app": "web"}},
               "template": {"metadata": {"labels": {"app": "web"}},
                            "spec": {"containers": [{"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 80}]}]}}},
      "status": {"observedGeneration": 7, "replicas": 3, "readyReplicas": 3, "updatedReplicas": 3, "availableReplicas": 3,
                 "conditions": [
                   {"type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "lastTransitionTime": "2025-01-01T00:00:00Z"},
                   {"type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "lastTransitionTime": "2025-01-01T00:00:00Z"},
                   {"type": "ReplicaFailure", "status": "False", "reason": "Healthy", "lastTransitionTime": "2025-01-01T00:00:00Z"},
                   {"type": "Stalled", "status": "False", "reason": "Healthy", "lastTransitionTime": "2025-01-01T00:00:00Z"},
                   {"type": "Ready", "status": "True", "reason": "Ready", "lastTransitionTime": "2025-01-01T00:00:00Z"}
                 ]}
    }
    """)!;

var env = CelEnvironment.KubernetesObject;

// The first compile in a process pays for JIT and the environment's lazily built tables: what a controller sees once.
var cold = Stopwatch.StartNew();
env.Compile(Expression).GetProgramOrThrow();
Console.WriteLine($"first compile (cold, includes JIT): {cold.Elapsed.TotalMilliseconds:F1} ms");

// Compile: parse + check + plan, no cache.
var compileRuns = Measure(seconds, () => env.Compile(Expression).GetProgramOrThrow());
Console.WriteLine($"compile: {compileRuns.NanosPerOp / 1000:F1} µs CPU per compile ({compileRuns.Count} compiles)");

var cache = new CelProgramCache(env, capacity: 256);
var cachedRuns = Measure(seconds, () => cache.Compile(Expression));
Console.WriteLine($"cached compile (CelProgramCache hit): {cachedRuns.NanosPerOp:F0} ns CPU per lookup");

var program = env.Compile(Expression).GetProgramOrThrow();
if (program.Evaluate(CelActivation.FromKubernetesObject(deployment)) is not CelBool { Value: true })
{
    throw new InvalidOperationException("benchmark expression did not evaluate to true");
}

var evalRuns = Measure(seconds, () => program.Evaluate(CelActivation.FromKubernetesObject(deployment)));
Console.WriteLine($"evaluate: {evalRuns.Count / evalRuns.Elapsed.TotalSeconds:N0} evaluations per CPU-second ({evalRuns.NanosPerOp / 1000:F2} µs CPU each)");

var parallelRuns = MeasureParallel(seconds, () => program.Evaluate(CelActivation.FromKubernetesObject(deployment)));
Console.WriteLine($"evaluate on {Environment.ProcessorCount} threads: {parallelRuns:N0} evaluations/s (wall clock)");

// Per-op figures use the process's CPU time, not wall time: on a shared machine wall time mostly measures waiting.
// Per-op time as a double: TimeSpan division rounds to 100 ns ticks.
static (long Count, TimeSpan Elapsed, double NanosPerOp) Measure(double seconds, Func<object> op)
{
    for (var i = 0; i < 1000; i++)
    {
        op();
    }

    var process = Process.GetCurrentProcess();
    process.Refresh();
    var cpuStart = process.TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    long n = 0;
    while (sw.Elapsed.TotalSeconds < seconds)
    {
        for (var i = 0; i < 100; i++)
        {
            op();
        }

        n += 100;
    }

    process.Refresh();
    var cpu = process.TotalProcessorTime - cpuStart;
    return (n, cpu, cpu.TotalNanoseconds / n);
}

static double MeasureParallel(double seconds, Func<object> op)
{
    long total = 0;
    var sw = Stopwatch.StartNew();
    Parallel.For(0, Environment.ProcessorCount, _ =>
    {
        long n = 0;
        while (sw.Elapsed.TotalSeconds < seconds)
        {
            for (var i = 0; i < 100; i++)
            {
                op();
            }

            n += 100;
        }

        Interlocked.Add(ref total, n);
    });
    return total / sw.Elapsed.TotalSeconds;
}
