namespace StageSet.Cli;

/// <summary>A failure reported as <c>Error: &lt;message&gt;</c> with the exit code of controller-and-cli.md B.1.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Runtime) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

internal static class ExitCodes
{
    public const int Success = 0;
    public const int Changes = 1;
    public const int Usage = 2;
    public const int Runtime = 3;
}
