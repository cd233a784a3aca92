using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Serialization;

namespace Convolve.Models;

/// <summary>
/// The metadata a model file carries besides its architecture: the input normalisation
/// (<see cref="NormalizationMeanKey"/>, <see cref="NormalizationStdKey"/>, round-trip decimal
/// text, or a JSON list of them with one value per channel) and optionally the class names (<see cref="ClassNamesKey"/>, a JSON array of strings).
/// Both are checked when saved and when loaded.
/// </summary>
public static class ModelMetadata
{
    /// <summary>Metadata key of the mean subtracted from every input pixel.</summary>
    public const string NormalizationMeanKey = "normalization_mean";

    /// <summary>Metadata key of the standard deviation every input pixel is divided by.</summary>
    public const string NormalizationStdKey = "normalization_std";

    /// <summary>Metadata key of the class names, a JSON array of strings.</summary>
    public const string ClassNamesKey = "class_names";

    /// <summary>The metadata entries recording <paramref name="normalization"/> and, if given, <paramref name="classNames"/>.</summary>
    public static Dictionary<string, string> Describe(InputNormalization normalization, IReadOnlyList<string>? classNames = null)
    {
        ArgumentNullException.ThrowIfNull(normalization);
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [NormalizationMeanKey] = Format(normalization.Means),
            [NormalizationStdKey] = Format(normalization.Stds),
        };
        if (classNames is not null)
        {
            metadata[ClassNamesKey] = JsonSerializer.Serialize(classNames);
        }
        return metadata;
    }

    /// <summary>The normalisation a file records, or null when it records none.</summary>
    /// <exception cref="CheckpointFormatException">Only one of the two keys is present, or a value is not a valid number.</exception>
    public static InputNormalization? ReadNormalization(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        bool hasMean = metadata.TryGetValue(NormalizationMeanKey, out string? mean);
        bool hasStd = metadata.TryGetValue(NormalizationStdKey, out string? std);
        if (!hasMean && !hasStd)
        {
            return null;
        }
        if (!hasMean || !hasStd)
        {
            throw new CheckpointFormatException($"{source}: the metadata has {(hasMean ? NormalizationMeanKey : NormalizationStdKey)} but not {(hasMean ? NormalizationStdKey : NormalizationMeanKey)}");
        }
        double[] m = Numbers(mean!, NormalizationMeanKey, source), s = Numbers(std!, NormalizationStdKey, source);
        if (m.Length != s.Length || !m.All(double.IsFinite) || !s.All(v => double.IsFinite(v) && v > 0))
        {
            throw new CheckpointFormatException(
                $"{source}: metadata {NormalizationMeanKey} \"{mean}\" and {NormalizationStdKey} \"{std}\" must be a finite mean and a finite positive standard deviation (or a list of each, one per channel)");
        }
        return new InputNormalization(m, s);
    }

    /// <summary>The class names a file records (empty when it records none).</summary>
    /// <exception cref="CheckpointFormatException">The value is not a JSON array of strings.</exception>
    public static IReadOnlyList<string> ReadClassNames(IReadOnlyDictionary<string, string> metadata, string source)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        if (!metadata.TryGetValue(ClassNamesKey, out string? json))
        {
            return [];
        }
        try
        {
            string?[]? names = JsonSerializer.Deserialize<string?[]>(json);
            if (names is not null && names.All(n => n is not null))
            {
                return names!;
            }
        }
        catch (JsonException)
        {
            // reported below, with the value
        }
        string shown = json.Length <= 60 ? json : json[..60] + "…";
        throw new CheckpointFormatException($"{source}: metadata {ClassNamesKey} must be a JSON array of strings such as [\"cat\", \"dog\"] but is {shown}");
    }

    /// <summary>The metadata a model is saved with: the caller's, normalisation completed and both entries checked.</summary>
    internal static Dictionary<string, string> Complete(IReadOnlyDictionary<string, string>? metadata, InputNormalization? normalization)
    {
        var all = new Dictionary<string, string>(metadata ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        if (normalization is not null || (!all.ContainsKey(NormalizationMeanKey) && !all.ContainsKey(NormalizationStdKey)))
        {
            foreach (var (key, value) in Describe(normalization ?? InputNormalization.None))
            {
                all[key] = value;
            }
        }
        try
        {
            ReadNormalization(all, "metadata");
            ReadClassNames(all, "metadata");
        }
        catch (CheckpointFormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(metadata), ex);
        }
        return all;
    }

    /// <summary>One channel as a plain round-trip number (as before channels were recorded), several as a JSON list.</summary>
    private static string Format(IReadOnlyList<double> values) => values.Count == 1
        ? values[0].ToString("R", CultureInfo.InvariantCulture)
        : JsonSerializer.Serialize(values);

    /// <summary>A plain number, or a JSON list of numbers (one per channel).</summary>
    private static double[] Numbers(string text, string key, string source)
    {
        if (!text.TrimStart().StartsWith('['))
        {
            return [Number(text, key, source)];
        }
        try
        {
            return JsonSerializer.Deserialize<double[]>(text) is { Length: > 0 } values ? values : throw new JsonException("empty");
        }
        catch (JsonException)
        {
            throw new CheckpointFormatException($"{source}: metadata {key} must be a number or a JSON list of numbers but is \"{(text.Length <= 40 ? text : text[..40] + "…")}\"");
        }
    }

    private static double Number(string text, string key, string source) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double value)
            ? value
            : throw new CheckpointFormatException($"{source}: metadata {key} must be a number but is \"{(text.Length <= 40 ? text : text[..40] + "…")}\"");
}
