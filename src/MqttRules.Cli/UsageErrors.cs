using System.CommandLine;
using System.CommandLine.Parsing;

namespace MqttRules.Cli;

/// <summary>
/// A command line that does not parse (an unknown option, a stray argument, a missing value):
/// one line per problem on stderr, naming the command and where its options are listed; exit 2.
/// </summary>
internal static class UsageErrors
{
    public const int ExitCode = 2;

    /// <summary>True when the parse failed and no help was asked for (help is shown whatever else the line holds).</summary>
    public static bool Any(ParseResult result) => result.Errors.Count > 0 && result.Action is not ExampleHelpAction;

    public static int Report(ParseResult result, TextWriter stderr)
    {
        var command = result.CommandResult.Command;
        var path = command is RootCommand ? "mqttrules" : $"mqttrules {command.Name}";
        var unmatched = result.UnmatchedTokens;
        foreach (var token in unmatched)
        {
            stderr.WriteLine($"{path}: {Describe(token, command)}");
        }

        foreach (var error in result.Errors.Where(e => !unmatched.Any(t => e.Message.Contains($"'{t}'", StringComparison.Ordinal))))
        {
            stderr.WriteLine($"{path}: {error.Message}");
        }

        stderr.WriteLine($"Run '{path} --help' for its usage.");
        return ExitCode;
    }

    /// <summary>An unknown option (named without its value), with the commands that have it; an unknown command; or a stray argument.</summary>
    internal static string Describe(string token, Command command)
    {
        if (token.StartsWith('-') && token.Length > 1)
        {
            var name = token.Split('=')[0];
            var owners = Root(command).Subcommands.Where(c => c.Options.Any(o => !o.Hidden && o.Name == name)).Select(c => c.Name).ToList();
            return owners.Count == 0 ? $"unknown option '{name}'" : $"unknown option '{name}' (an option of {string.Join(", ", owners)})";
        }

        return command is RootCommand
            ? $"unknown command '{token}'; commands: {string.Join(", ", CommandLine.Commands)}"
            : $"unexpected argument '{token}'";
    }

    private static Command Root(Command command) => command.Parents.OfType<Command>().FirstOrDefault() is { } parent ? Root(parent) : command;
}
