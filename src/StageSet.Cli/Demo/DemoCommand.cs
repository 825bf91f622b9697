using System.CommandLine;
using StageSet.Api;

namespace StageSet.Cli.Demo;

/// <summary><c>demo</c>: the quickstart rollout against an in-process cluster and controller.</summary>
internal sealed class DemoCommand
{
    private readonly Option<bool> _keepRunning = new("--keep-running") { Description = "Leave the API server, artifact storage and controller running until Ctrl+C." };
    private readonly Option<string> _timeout = new("--timeout") { Description = "Give up if the StageSet is not Ready by then.", DefaultValueFactory = _ => "2m" };
    private readonly Option<string?> _repoRoot = new("--repo-root") { Description = "The repository checkout (default: found from the working directory)." };

    public Command Create()
    {
        var command = new Command("demo", "Run the quickstart StageSet against an in-process API server and controller.")
        {
            _keepRunning, _timeout, _repoRoot,
        };
        command.SetAction((parse, ct) => RunAsync(parse, ct));
        return command;
    }

    private Task<int> RunAsync(ParseResult parse, CancellationToken ct)
    {
        var timeoutText = parse.GetValue(_timeout)!;
        if (!Duration.TryParse(timeoutText, out var timeout) || !timeout.IsPositive)
        {
            throw new CliException($"invalid argument \"{timeoutText}\" for \"--timeout\": not a positive duration", ExitCodes.Usage);
        }

        var options = new DemoOptions
        {
            RepoRoot = parse.GetValue(_repoRoot),
            Timeout = timeout.ToTimeSpan(),
            KeepRunning = parse.GetValue(_keepRunning),
        };
        return new QuickstartDemo(options, parse.InvocationConfiguration.Output).RunAsync(ct);
    }
}
