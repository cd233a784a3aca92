using System.CommandLine;
using System.CommandLine.Parsing;

namespace Convolve.Cli;

/// <summary>
/// The one line that refuses a command line the parser did not accept: the first problem only,
/// naming the command, option or value, with the nearest valid spelling where there is one
/// (<c>evall is not a convolve command; did you mean eval?</c>, <c>convolve train has no option --epoch; did you mean --epochs?</c>),
/// and where to read more. The parser's own messages name no option and come one per stray token.
/// </summary>
internal static class ParseErrors
{
    /// <summary>The error line (without the <c>convolve: </c> prefix) for a parse that has errors.</summary>
    public static string Describe(ParseResult parsed, RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(parsed);
        List<Command> path = CommandPath(parsed.CommandResult);
        Command command = path[^1];
        string name = string.Join(" ", path.Select(c => c == root ? "convolve" : c.Name));
        string problem = Unmatched(parsed.UnmatchedTokens, command, path, name)
            ?? MissingCommand(parsed, command, name)
            ?? CliErrors.DescribeParseError(parsed.Errors[0].Message);
        problem = problem.TrimEnd('.');
        return $"{problem}{(problem.EndsWith('?') ? "" : ".")} See '{name} --help'.";
    }

    /// <summary>The first stray token: a mistyped option (the first such), a mistyped command, or a value no argument takes.</summary>
    private static string? Unmatched(IReadOnlyList<string> tokens, Command command, List<Command> path, string name)
    {
        if (tokens.Count == 0)
        {
            return null;
        }
        string token = tokens.FirstOrDefault(t => t.StartsWith('-')) ?? tokens[0];
        if (token.StartsWith('-'))
        {
            IEnumerable<string> options = path.SelectMany(c => c.Options.Where(o => c == command || o.Recursive))
                .Where(o => !o.Hidden).SelectMany(o => o.Aliases.Prepend(o.Name)).Where(a => a.StartsWith("--", StringComparison.Ordinal));
            return $"{name} has no option {token}{Spelling.Suggestion(token, options)}";
        }
        if (command.Subcommands.Count > 0 && command.Arguments.Count == 0)
        {
            string[] commands = [.. command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name)];
            string suggestion = Spelling.Suggestion(token, commands);
            return $"{token} is not a {name} command{(suggestion.Length > 0 ? suggestion : $"; the commands are {string.Join(", ", commands)}")}";
        }
        return $"{name} takes no argument '{token}'";
    }

    /// <summary>A command that needs a subcommand and got none: the subcommands, listed.</summary>
    private static string? MissingCommand(ParseResult parsed, Command command, string name)
    {
        if (command.Subcommands.Count == 0 || parsed.CommandResult.Children.OfType<CommandResult>().Any())
        {
            return null;
        }
        return $"{name} needs a command: {string.Join(", ", command.Subcommands.Where(c => !c.Hidden).Select(c => c.Name))}";
    }

    /// <summary>The command and its parents, outermost first (<c>convolve visualize deconv</c>).</summary>
    private static List<Command> CommandPath(CommandResult result)
    {
        var path = new List<Command>();
        for (SymbolResult? at = result; at is not null; at = at.Parent)
        {
            if (at is CommandResult command)
            {
                path.Insert(0, command.Command);
            }
        }
        return path;
    }
}
