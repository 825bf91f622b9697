using System.CommandLine;
using System.CommandLine.Help;
using System.Reflection;
using StageSet.Api;
using StageSet.Engine.Build;
using StageSet.Kube;

namespace StageSet.Cli;

/// <summary>
/// <c>stagesetctl</c> (or <c>kubectl stageset</c> when installed as the plugin): wiring, <c>--version</c>, and the
/// error contract of controller-and-cli.md B.1 (<c>Error: &lt;msg&gt;</c> once on stderr; exit 2 for usage, 3 for
/// runtime failures; no usage text on runtime errors).
/// </summary>
public static class CliApp
{
    public const string PluginBinary = "kubectl-stageset";

    /// <summary>Runs one invocation; <paramref name="argv0"/> decides whether help says <c>kubectl stageset</c>.</summary>
    public static async Task<int> RunAsync(string[] args, TextWriter stdout, TextWriter stderr, string? argv0 = null,
        BuildOptions? buildOptions = null, CancellationToken ct = default)
    {
        var rootName = RootName(argv0);
        // Command names cannot hold spaces: the plugin's root is named after its binary and help is rewritten.
        var commandName = rootName.Replace(' ', '-');
        var globals = new GlobalOptions();
        var version = new Option<bool>("--version") { Description = "Show version information." };
        var root = new Command(commandName, "Inspect, render and drive StageSets.") { new HelpOption(), version };
        foreach (var option in globals.All())
        {
            root.Add(option);
        }

        var build = new BuildCommand();
        var get = new GetCommand(globals);
        var reconcile = new ReconcileCommand(globals, TimeProvider.System);
        var demo = new Demo.DemoCommand();
        root.Add(get.Create());
        root.Add(build.Create(globals, buildOptions ?? new BuildOptions()));
        root.Add(reconcile.Create());
        root.Add(demo.Create());
        Argument[] names = [build.NameArgument, get.NameArgument, reconcile.NameArgument];
        root.SetAction(parse =>
        {
            if (parse.GetValue(version))
            {
                stdout.WriteLine($"{rootName} version {Version} (commit {Commit})");
                return ExitCodes.Success;
            }

            new HelpAction().Invoke(parse);
            return ExitCodes.Success;
        });

        var parseResult = root.Parse(args);
        if (parseResult.Errors.Count > 0)
        {
            stderr.WriteLine("Error: " + parseResult.Errors[0].Message);
            return ExitCodes.Usage;
        }

        // A dash-led NAME is a flag this command does not know, as in kubectl.
        foreach (var name in names)
        {
            if (parseResult.GetResult(name) is { } nameResult && nameResult.Tokens.FirstOrDefault()?.Value is { } first
                && first.StartsWith('-'))
            {
                stderr.WriteLine($"Error: unknown flag: {first}");
                return ExitCodes.Usage;
            }
        }

        var isHelp = parseResult.Action is HelpAction || (parseResult.CommandResult.Command == root && !parseResult.GetValue(version));
        var output = isHelp && commandName != rootName ? new StringWriter() : stdout;
        try
        {
            var code = await parseResult.InvokeAsync(new InvocationConfiguration
            {
                Output = output,
                Error = stderr,
                EnableDefaultExceptionHandler = false,
            }, ct).ConfigureAwait(false);
            if (output != stdout)
            {
                await stdout.WriteAsync(output.ToString()!.Replace(commandName, rootName, StringComparison.Ordinal)).ConfigureAwait(false);
            }

            return code;
        }
        catch (CliException e)
        {
            stderr.WriteLine("Error: " + e.Message);
            return e.ExitCode;
        }
        catch (KubeApiException e)
        {
            // Connection failures carry no server message; say what was attempted.
            stderr.WriteLine("Error: " + (e.StatusCode == 0 ? e.Message : e.ApiMessage));
            return ExitCodes.Runtime;
        }
        catch (ApiFormatException e)
        {
            stderr.WriteLine("Error: " + e.Message);
            return ExitCodes.Runtime;
        }
    }

    internal static string RootName(string? argv0) =>
        argv0 is not null && Path.GetFileNameWithoutExtension(argv0) == PluginBinary ? "kubectl stageset" : "stagesetctl";

    /// <summary>Release version stamped at build time (<c>-p:Version=</c>), else <c>development</c>.</summary>
    internal static string Version =>
        typeof(CliApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "StageSetVersion")?.Value
        is { Length: > 0 } v ? v : "development";

    internal static string Commit =>
        typeof(CliApp).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "StageSetCommit")?.Value
        is { Length: > 0 } c ? c : "unknown";
}
