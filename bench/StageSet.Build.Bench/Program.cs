using System.Diagnostics;
using System.Globalization;
using StageSet.Artifacts;
using StageSet.Engine.Build;

// Renders a 200-object plain tree and a 200-object kustomize tree with stagesetctl (as a process, like a user runs
// it, and in-process, like the controller runs it) and with kubectl kustomize, and prints the timings side by side;
// then measures four concurrent 64 MiB artifact fetches (see FetchBench).
var iterations = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 10;
var work = Path.Combine(Path.GetTempPath(), "stageset-bench-" + Guid.NewGuid().ToString("N"));
try
{
    var plain = Trees.Plain(Path.Combine(work, "plain"), 200);
    var kustomize = Trees.Kustomize(Path.Combine(work, "kustomize"), 200);
    var stageSet = Path.Combine(work, "stageset.yaml");
    File.WriteAllText(stageSet, "apiVersion: stages.metio.wtf/v1\nkind: StageSet\nmetadata: {name: bench}\nspec:\n  stages:\n  - name: app\n    sourceRef: {name: src}\n");
    var cli = Path.Combine(AppContext.BaseDirectory, "stagesetctl.dll");

    Console.WriteLine($"iterations per row: {iterations} (after one warm-up)");
    Console.WriteLine($"{"tree",-10} {"stagesetctl build",18} {"in-process build",17} {"kubectl kustomize",18} {"cli/kubectl",12} {"in-proc/kubectl",16}");
    foreach (var (name, dir, kustomizeDir) in new[] { ("plain", plain, Trees.WithKustomization(plain)), ("kustomize", kustomize, kustomize) })
    {
        var ours = Measure(iterations, () => Run("dotnet", cli, "build", "-f", stageSet, "--source-dir", dir, "--show-secrets"));
        var builder = new ManifestBuilder();
        var tree = ArtifactTree.FromDirectory(dir);
        var inProcess = Measure(iterations, () => builder.BuildAsync(new BuildRequest(tree, null), default).GetAwaiter().GetResult());
        var kubectl = Measure(iterations, () => Run("kubectl", "kustomize", kustomizeDir));
        Console.WriteLine($"{name,-10} {Ms(ours),18} {Ms(inProcess),17} {Ms(kubectl),18} {ours / kubectl,12:F2} {inProcess / kubectl,16:F2}");
    }

    await FetchBench.RunAsync(work);
}
finally
{
    Directory.Delete(work, recursive: true);
}

static string Ms(double ms) => ms.ToString("F1", CultureInfo.InvariantCulture) + " ms";

static double Measure(int iterations, Action action)
{
    action();
    var watch = Stopwatch.StartNew();
    for (var i = 0; i < iterations; i++)
    {
        action();
    }

    return watch.Elapsed.TotalMilliseconds / iterations;
}

static void Run(string program, params string[] args)
{
    var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in args)
    {
        start.ArgumentList.Add(arg);
    }

    using var process = Process.Start(start)!;
    var output = process.StandardOutput.ReadToEndAsync();
    var errors = process.StandardError.ReadToEnd();
    process.WaitForExit();
    if (process.ExitCode != 0)
    {
        throw new InvalidOperationException($"{program} failed: {errors}");
    }

    _ = output.Result;
}

internal static class Trees
{
    /// <summary>200 objects over 20 files: Deployments, Services and ConfigMaps in subdirectories.</summary>
    public static string Plain(string dir, int objects)
    {
        for (var file = 0; file < 20; file++)
        {
            var docs = Enumerable.Range(0, objects / 20).Select(i => Object(file * (objects / 20) + i));
            Write(Path.Combine(dir, $"team-{file % 4}", $"app-{file:D2}.yaml"), string.Join("---\n", docs));
        }

        return dir;
    }

    /// <summary>A base of 200 objects, an overlay with a prefix, labels and a patch.</summary>
    public static string Kustomize(string dir, int objects)
    {
        Plain(Path.Combine(dir, "base"), objects);
        var files = Directory.EnumerateFiles(Path.Combine(dir, "base"), "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Path.Combine(dir, "base"), f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Write(Path.Combine(dir, "base", "kustomization.yaml"), "resources:\n" + string.Concat(files.Select(f => $"- {f}\n")));
        Write(Path.Combine(dir, "kustomization.yaml"),
            "resources:\n- base\nnamePrefix: prod-\nlabels:\n- pairs:\n    env: prod\npatches:\n- target:\n    kind: Deployment\n  patch: |\n    - op: replace\n      path: /spec/replicas\n      value: 3\n");
        return dir;
    }

    /// <summary>The equivalent kustomization of a plain tree, for kubectl.</summary>
    public static string WithKustomization(string plain)
    {
        var dir = plain + "-kustomized";
        foreach (var file in Directory.EnumerateFiles(plain, "*.yaml", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(plain, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }

        var files = Directory.EnumerateFiles(dir, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).Order(StringComparer.Ordinal);
        Write(Path.Combine(dir, "kustomization.yaml"), "resources:\n" + string.Concat(files.Select(f => $"- {f}\n")));
        return dir;
    }

    private static string Object(int i) => (i % 3) switch
    {
        0 => $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-{i}\n  labels:\n    app: app-{i}\nspec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: app-{i}\n  template:\n    metadata:\n      labels:\n        app: app-{i}\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:{i}\n        ports:\n        - containerPort: 8080\n          protocol: TCP\n        env:\n        - name: INDEX\n          value: \"{i}\"\n",
        1 => $"apiVersion: v1\nkind: Service\nmetadata:\n  name: svc-{i}\nspec:\n  selector:\n    app: app-{i}\n  ports:\n  - port: 80\n    targetPort: 8080\n    protocol: TCP\n",
        _ => $"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg-{i}\ndata:\n  index: \"{i}\"\n  description: configuration number {i} of the benchmark tree\n",
    };

    private static void Write(string path, string content)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
    }
}
