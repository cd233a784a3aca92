using System.Globalization;
using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Cli;

/// <summary>
/// What a command will hold in memory, estimated from shapes alone before any data is read, and
/// refused with the estimate when it exceeds what this process may use (the GC's limit: the
/// machine's memory or the container's). Activations are every layer's output for the batch
/// (ModelSummary), twice over when training (the backward pass holds a gradient of each).
/// </summary>
internal static class MemoryEstimate
{
    /// <summary>Bytes of every layer's output for <paramref name="batch"/> images of <paramref name="item"/> [C, H, W], plus the convolutions' workspace.</summary>
    public static long Activations(Layer model, Shape item, int batch)
    {
        // Two images, so that batch normalisation in training mode accepts the shape; activations grow linearly with the batch.
        var summary = ModelSummary.Of(model, new Shape([2, .. item]));
        return summary.ActivationBytes / 2 * batch + summary.WorkspaceBytes;
    }

    /// <summary>Bytes of <paramref name="count"/> images of <paramref name="item"/> as float32.</summary>
    public static long Images(long count, Shape item) => count * item.Size * sizeof(float);

    /// <summary>Refuses when <paramref name="parts"/> add up to more than this process may use.</summary>
    /// <param name="option">The option to lower, named in the message.</param>
    /// <param name="parts">What the memory is for, and how many bytes each takes.</param>
    public static void Require(string option, params (string What, long Bytes)[] parts)
    {
        long total = parts.Sum(p => p.Bytes);
        long available = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;
        if (total > available)
        {
            string breakdown = string.Join(", ", parts.Where(p => p.Bytes > 0).Select(p => $"{p.What} {Format(p.Bytes)}"));
            throw new UserErrorException($"{option} would need about {Format(total)} of memory ({breakdown}), more than the {Format(available)} this process may use; lower {option}");
        }
    }

    private static string Format(long bytes) => bytes >= 1L << 30
        ? (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB"
        : (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";
}
