using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Convolve.Cli;

/// <summary>
/// Options whose values are parsed and range-checked while the command line is parsed, so that a
/// bad value is a parse error naming the option and the text given (never a .NET type name) and
/// no command starts with it: <c>--lr must be a number greater than 0 but got 'abc'</c>.
/// </summary>
internal static class CliOptions
{
    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public static Option<int> Integer(string name, string description, int defaultValue, int min, int max = int.MaxValue, string? alias = null)
    {
        var option = alias is null ? new Option<int>(name) : new Option<int>(name, alias);
        option.Description = description;
        option.DefaultValueFactory = _ => defaultValue;
        option.CustomParser = result => ParseInteger(result, name, min, max) ?? defaultValue;
        return option;
    }

    /// <summary>A whole number in [<paramref name="min"/>, <paramref name="max"/>], or null when not given.</summary>
    public static Option<int?> OptionalInteger(string name, string description, int min, int max = int.MaxValue, string? alias = null)
    {
        var option = alias is null ? new Option<int?>(name) : new Option<int?>(name, alias);
        option.Description = description;
        option.CustomParser = result => ParseInteger(result, name, min, max);
        return option;
    }

    /// <summary>A finite number above <paramref name="min"/> (or at it when <paramref name="minInclusive"/>) and at most <paramref name="max"/>.</summary>
    public static Option<double> Number(string name, string description, double defaultValue, double min, bool minInclusive, double max = double.MaxValue)
    {
        var option = new Option<double>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result => ParseNumber(result, name, min, minInclusive, max) ?? defaultValue;
        return option;
    }

    /// <summary>As <see cref="Number"/>, or null when not given.</summary>
    public static Option<double?> OptionalNumber(string name, string description, double min, bool minInclusive, double max = double.MaxValue)
    {
        var option = new Option<double?>(name) { Description = description };
        option.CustomParser = result => ParseNumber(result, name, min, minInclusive, max);
        return option;
    }

    /// <summary>A 64-bit seed: a whole number from 0 to 18446744073709551615.</summary>
    public static Option<ulong> Seed(string name, string description, ulong defaultValue)
    {
        var option = new Option<ulong>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        option.CustomParser = result =>
        {
            string? text = Single(result);
            if (text is null)
            {
                return defaultValue;
            }
            if (ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out ulong value))
            {
                return value;
            }
            result.AddError($"{name} must be a whole number from 0 to {ulong.MaxValue} but got '{text}'");
            return defaultValue;
        };
        return option;
    }

    /// <summary>
    /// Accepts only <paramref name="values"/> (listed in help as <c>&lt;a|b&gt;</c>); anything else is one
    /// error naming the option, every value and the nearest spelling:
    /// <c>--model must be one of lenet5, fashion-cnn, … but got 'resnet-huge'; did you mean resnet-small?</c>
    /// </summary>
    public static void AcceptOnly(Option<string> option, params string[] values)
    {
        ArgumentNullException.ThrowIfNull(option);
        option.CompletionSources.Add(values);
        option.Validators.Add(result =>
        {
            foreach (Token token in result.Tokens)
            {
                if (!values.Contains(token.Value, StringComparer.Ordinal))
                {
                    result.AddError($"{option.Name} must be one of {string.Join(", ", values)} but got '{token.Value}'{Spelling.Suggestion(token.Value, values)}");
                    return;
                }
            }
        });
    }

    private static int? ParseInteger(ArgumentResult result, string name, int min, int max)
    {
        string? text = Single(result);
        if (text is null)
        {
            return null;
        }
        if (int.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int value) && value >= min && value <= max)
        {
            return value;
        }
        string range = max == int.MaxValue
            ? min switch { 0 => "a whole number, 0 or more", 1 => "a positive whole number", _ => $"a whole number of at least {min}" }
            : $"a whole number from {min} to {max}";
        result.AddError($"{name} must be {range} but got '{text}'");
        return null;
    }

    private static double? ParseNumber(ArgumentResult result, string name, double min, bool minInclusive, double max)
    {
        string? text = Single(result);
        if (text is null)
        {
            return null;
        }
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            && (minInclusive ? value >= min : value > min) && value <= max)
        {
            return value;
        }
        string lower = minInclusive ? $"at least {min.ToString(CultureInfo.InvariantCulture)}" : $"greater than {min.ToString(CultureInfo.InvariantCulture)}";
        string upper = max == double.MaxValue ? "" : $" and at most {max.ToString(CultureInfo.InvariantCulture)}";
        result.AddError($"{name} must be a finite number {lower}{upper} but got '{text}'");
        return null;
    }

    private static string? Single(ArgumentResult result) => result.Tokens.Count == 0 ? null : result.Tokens[^1].Value;
}
