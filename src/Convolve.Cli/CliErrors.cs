using System.Text.RegularExpressions;

namespace Convolve.Cli;

/// <summary>
/// The one place that decides what a user error is and how it is said: one line naming the
/// option, variable or file and the value given. User errors exit with 2; anything else is an
/// internal error (a bug) and exits with 1.
/// </summary>
internal static partial class CliErrors
{
    /// <summary>
    /// Argument, file and format problems are user errors: the message already states the rule,
    /// the values, and (for files) the path and offset. Bad files raise <see cref="IOException"/>s
    /// (<c>CheckpointFormatException</c>, <c>IdxFormatException</c>) or <see cref="FormatException"/>s
    /// (<c>ModelArchitectureException</c>).
    /// </summary>
    public static bool IsUserError(Exception ex) => ex is ArgumentException or IOException or FormatException
        or UnauthorizedAccessException or UserErrorException or Training.TrainingDivergedException;

    /// <summary>The exception's message on one line, without .NET's parameter-name suffix.</summary>
    public static string Describe(Exception ex) => OneLine(ex switch
    {
        FileNotFoundException notFound when notFound.FileName is not null => $"file not found: {notFound.FileName}",
        UnauthorizedAccessException denied => $"{denied.Message} (check the path and its permissions)",
        _ => ex.Message,
    });

    /// <summary>A parse error on one line; a conversion error left by the parser names the option and value, not a .NET type.</summary>
    public static string DescribeParseError(string message)
    {
        var match = ConversionError().Match(message);
        return OneLine(match.Success
            ? $"{match.Groups["option"].Value} must be {Friendly(match.Groups["type"].Value)} but got '{match.Groups["value"].Value}'"
            : message);
    }

    private static string OneLine(string message) =>
        ParameterSuffix().Replace(message, "").ReplaceLineEndings(" ").Replace("\t", "", StringComparison.Ordinal).Trim();

    private static string Friendly(string type) => type switch
    {
        _ when type.Contains("Int", StringComparison.Ordinal) => "a whole number",
        _ when type.Contains("Double", StringComparison.Ordinal) || type.Contains("Single", StringComparison.Ordinal) => "a number",
        _ when type.Contains("Boolean", StringComparison.Ordinal) => "true or false",
        _ => "a valid value",
    };

    [GeneratedRegex(@" ?\(Parameter '[^']*'\)")]
    private static partial Regex ParameterSuffix();

    [GeneratedRegex(@"Cannot parse argument '(?<value>.*)' for (option|argument) '(?<option>[^']*)' as expected type '(?<type>[^']*)'")]
    private static partial Regex ConversionError();
}

/// <summary>A problem with the command line, the environment or the files that no library exception describes.</summary>
internal sealed class UserErrorException(string message) : Exception(message);
