namespace Convolve.Cli;

/// <summary>Which exceptions are the user's to fix, and how to say them in one line.</summary>
internal static class CliErrors
{
    /// <summary>
    /// Argument, file and format problems are user errors: the message already states the rule,
    /// the values, and (for files) the path and offset.
    /// </summary>
    public static bool IsUserError(Exception ex) => ex is ArgumentException or IOException or FormatException
        or UnauthorizedAccessException or UserErrorException or Training.TrainingDivergedException;

    /// <summary>The exception's message on one line.</summary>
    public static string Describe(Exception ex) => ex switch
    {
        FileNotFoundException notFound when notFound.FileName is not null => $"file not found: {notFound.FileName}",
        ArgumentException argument when argument.ParamName is not null =>
            argument.Message.Replace($" (Parameter '{argument.ParamName}')", "", StringComparison.Ordinal).ReplaceLineEndings(" "),
        _ => ex.Message.ReplaceLineEndings(" "),
    };
}

/// <summary>A problem with the command line that no library exception describes.</summary>
internal sealed class UserErrorException(string message) : Exception(message);
