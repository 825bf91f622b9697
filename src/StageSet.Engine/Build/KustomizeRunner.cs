using System.Diagnostics;

namespace StageSet.Engine.Build;

/// <summary>
/// Runs the real kustomize engine: <c>kustomize build</c> when that binary is configured or on PATH, else
/// <c>kubectl kustomize</c>. Plugins and Helm stay at kustomize's defaults (off); load restrictions are lifted because
/// <see cref="KustomizeGuard"/> already confined every reference to the artifact root.
/// </summary>
public sealed class KustomizeRunner
{
    private readonly string _program;
    private readonly string[] _prefix;

    /// <param name="path">A <c>kustomize</c> or <c>kubectl</c> executable; null picks one from PATH.</param>
    public KustomizeRunner(string? path = null)
    {
        _program = path ?? FindOnPath("kustomize") ?? FindOnPath("kubectl")
            ?? throw new BuildException("neither kustomize nor kubectl was found on PATH");
        _prefix = Path.GetFileNameWithoutExtension(_program) == "kubectl" ? ["kustomize"] : ["build"];
    }

    public string Program => _program;

    /// <summary>Builds <paramref name="directory"/> and returns kustomize's YAML stream.</summary>
    public async Task<string> BuildAsync(string directory, CancellationToken ct)
    {
        var start = new ProcessStartInfo(_program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var arg in _prefix)
        {
            start.ArgumentList.Add(arg);
        }

        start.ArgumentList.Add(directory);
        start.ArgumentList.Add("--load-restrictor=LoadRestrictionsNone");
        using var process = Process.Start(start) ?? throw new BuildException($"failed to start {_program}");
        var stdout = process.StandardOutput.ReadToEndAsync(ct);
        var stderr = process.StandardError.ReadToEndAsync(ct);
        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        var output = await stdout.ConfigureAwait(false);
        var errors = await stderr.ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            var message = errors.Trim();
            if (message.StartsWith("Error: ", StringComparison.Ordinal))
            {
                message = message["Error: ".Length..];
            }

            throw new BuildException("kustomize build failed: " + message);
        }

        return output;
    }

    private static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            if (dir.Length > 0 && File.Exists(Path.Combine(dir, name)))
            {
                return Path.Combine(dir, name);
            }
        }

        return null;
    }
}
