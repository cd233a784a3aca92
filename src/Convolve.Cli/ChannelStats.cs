using System.Globalization;
using System.Text.Json;
using Convolve.Data;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Cli;

/// <summary>
/// The input normalisation of a model, one mean and standard deviation per channel (torchvision's
/// <c>Normalize(mean, std)</c>). In a checkpoint's metadata a one-channel normalisation is written
/// as plain numbers (as before there were channels) and a multi-channel one as JSON lists.
/// </summary>
internal sealed record ChannelStats(double[] Mean, double[] Std)
{
    /// <summary>The training set's statistics; a channel whose pixels all have one value cannot be normalised.</summary>
    public static ChannelStats Of(Dataset train, string source)
    {
        var (mean, std) = train.ComputeChannelMeanStd();
        int flat = Array.FindIndex(std, s => !(s > 0));
        return flat < 0
            ? new ChannelStats(mean, std)
            : throw new UserErrorException($"every training pixel of channel {flat} in {source} has the value {mean[flat].ToString(CultureInfo.InvariantCulture)}: with standard deviation 0 it cannot be normalised");
    }

    /// <summary>The normalisation a checkpoint records.</summary>
    public static ChannelStats Read(IReadOnlyDictionary<string, string> metadata, string path)
    {
        if (!metadata.TryGetValue(TrainingData.MeanKey, out string? mean) || !metadata.TryGetValue(TrainingData.StdKey, out string? std))
        {
            throw new UserErrorException($"{path} does not record the input normalisation ({TrainingData.MeanKey}, {TrainingData.StdKey}); it was not written by 'convolve train'");
        }
        double[] means = Numbers(mean, TrainingData.MeanKey, path), stds = Numbers(std, TrainingData.StdKey, path);
        return means.Length == stds.Length && means.All(double.IsFinite) && stds.All(s => double.IsFinite(s) && s > 0)
            ? new ChannelStats(means, stds)
            : throw new UserErrorException($"{path}: the recorded normalisation (mean {mean}, std {std}) must give as many finite means as positive standard deviations");
    }

    /// <summary>Adds the two metadata entries.</summary>
    public void Describe(IDictionary<string, string> metadata)
    {
        metadata[TrainingData.MeanKey] = Format(Mean);
        metadata[TrainingData.StdKey] = Format(Std);
    }

    /// <summary>Normalises <paramref name="data"/>; one recorded value serves every channel.</summary>
    public void Apply(Dataset data)
    {
        if (Mean.Length == 1)
        {
            data.Normalize(Mean[0], Std[0]);
            return;
        }
        if (Mean.Length != data.ItemShape[0])
        {
            throw new UserErrorException($"the model was trained on {Mean.Length}-channel images but the data have {data.ItemShape[0]} channels");
        }
        data.Normalize(Mean, Std);
    }

    /// <summary>The means and standard deviations for <paramref name="channels"/> channels.</summary>
    public (double[] Mean, double[] Std) For(int channels) =>
        Mean.Length == 1 ? (Enumerable.Repeat(Mean[0], channels).ToArray(), Enumerable.Repeat(Std[0], channels).ToArray()) : (Mean, Std);

    /// <summary>One normalised item [C, H, W] back in [0, 1] for display, channel by channel.</summary>
    public Tensor Unnormalize(Tensor item)
    {
        var (mean, std) = For(item.Shape[0]);
        int plane = item.Shape.SizeFrom(1);
        var result = new Tensor(item.Shape);
        for (int c = 0; c < item.Shape[0]; c++)
        {
            var channel = new Tensor(new Shape(plane), item.Data.AsSpan(c * plane, plane).ToArray());
            DisplayScaling.Unnormalize(channel, mean[c], std[c]).Span.CopyTo(result.Span.Slice(c * plane, plane));
        }
        return result;
    }

    /// <summary><c>mean 0.2860 and std 0.3530</c>, or lists for several channels.</summary>
    public override string ToString() => $"mean {Show(Mean)} and std {Show(Std)}";

    private static string Show(double[] values) => values.Length == 1
        ? values[0].ToString("F4", CultureInfo.InvariantCulture)
        : "[" + string.Join(", ", values.Select(v => v.ToString("F4", CultureInfo.InvariantCulture))) + "]";

    private static string Format(double[] values) => values.Length == 1
        ? values[0].ToString("R", CultureInfo.InvariantCulture)
        : JsonSerializer.Serialize(values);

    private static double[] Numbers(string text, string key, string path)
    {
        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double single))
        {
            return [single];
        }
        try
        {
            return JsonSerializer.Deserialize<double[]>(text) is { Length: > 0 } list ? list : throw new JsonException();
        }
        catch (JsonException)
        {
            throw new UserErrorException($"{path}: metadata {key} must be a number or a JSON list of numbers but is '{text}'");
        }
    }
}
