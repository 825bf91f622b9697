namespace StageSet.Artifacts;

/// <summary>
/// The entry-name rules of flux-source-contract.md §2.4: which names an artifact may contain. A rejected name is
/// skipped silently (not an error) so a stray dotfile or odd name cannot fail a stage.
/// </summary>
public static class ArtifactPath
{
    /// <summary>The cleaned relative path (Go <c>path.Clean</c>) when the name is acceptable, else null.</summary>
    public static string? Normalize(string name)
    {
        if (name.Length == 0 || name[0] == '/')
        {
            return null;
        }

        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '/' or '-'))
            {
                // Also rejects NUL, backslash, spaces, '+', '@' and non-ASCII.
                return null;
            }
        }

        var cleaned = Clean(name);
        foreach (var segment in cleaned.Split('/'))
        {
            if (segment == ".." || segment.StartsWith('.'))
            {
                return null;
            }
        }

        return cleaned;
    }

    /// <summary>Go's <c>path.Clean</c> for relative slash paths: collapse <c>//</c>, drop <c>.</c>, resolve <c>..</c>.</summary>
    public static string Clean(string path)
    {
        var rooted = path.StartsWith('/');
        var stack = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment.Length == 0 || segment == ".")
            {
                continue;
            }

            if (segment == "..")
            {
                if (stack.Count > 0 && stack[^1] != "..")
                {
                    stack.RemoveAt(stack.Count - 1);
                }
                else if (!rooted)
                {
                    stack.Add("..");
                }

                continue;
            }

            stack.Add(segment);
        }

        var joined = string.Join('/', stack);
        return rooted ? "/" + joined : joined.Length == 0 ? "." : joined;
    }
}
