namespace Convolve.Training;

/// <summary>The message of an argument exception without .NET's " (Parameter 'name')" suffix, for messages that quote it.</summary>
internal static class ExceptionReason
{
    public static string Of(ArgumentException ex) =>
        ex.ParamName is null ? ex.Message : ex.Message.Replace($" (Parameter '{ex.ParamName}')", "", StringComparison.Ordinal);
}
