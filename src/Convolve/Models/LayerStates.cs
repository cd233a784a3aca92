namespace Convolve.Models;

/// <summary>
/// The parameters and buffers each layer type creates, by PyTorch's names and weight layouts,
/// from its description alone: convolution <c>weight [C_out, C_in/groups, k...]</c>, transposed
/// convolution <c>weight [C_in, C_out/groups, k...]</c>, linear <c>weight [out, in]</c>, each with
/// <c>bias [C_out]</c> when it has one; batch normalisation <c>weight</c> and <c>bias [C]</c> when
/// affine and <c>running_mean</c>, <c>running_var [C]</c> and <c>num_batches_tracked []</c> when it
/// tracks statistics. Every other layer has none. A test checks this table against the layers.
/// </summary>
internal static class LayerStates
{
    /// <summary>The entries of a leaf layer, or null when its options are invalid.</summary>
    public static IReadOnlyList<(string Name, long[] Shape)>? Of(string type, ArchitectureFields fields)
    {
        if (type.StartsWith("ConvTranspose", StringComparison.Ordinal))
        {
            return Convolution(fields, type[^2] - '0', transposed: true);
        }
        if (type.StartsWith("Conv", StringComparison.Ordinal))
        {
            return Convolution(fields, type[^2] - '0', transposed: false);
        }
        return type switch
        {
            "Linear" => Linear(fields),
            "BatchNorm1d" or "BatchNorm2d" => BatchNorm(fields),
            _ => [],
        };
    }

    private static List<(string, long[])>? Convolution(ArchitectureFields f, int dimensions, bool transposed)
    {
        int inChannels = f.Int("in_channels"), outChannels = f.Int("out_channels"), groups = f.Int("groups");
        int[] kernel = f.Ints("kernel_size", dimensions);
        bool bias = f.Bool("bias");
        if (inChannels <= 0 || outChannels <= 0 || groups <= 0 || inChannels % groups != 0 || outChannels % groups != 0 || kernel.Any(k => k <= 0))
        {
            return null;
        }
        long[] weight = transposed
            ? [inChannels, outChannels / groups, .. kernel.Select(k => (long)k)]
            : [outChannels, inChannels / groups, .. kernel.Select(k => (long)k)];
        return WithBias(weight, bias ? outChannels : null);
    }

    private static List<(string, long[])>? Linear(ArchitectureFields f)
    {
        int inFeatures = f.Int("in_features"), outFeatures = f.Int("out_features");
        bool bias = f.Bool("bias");
        return inFeatures <= 0 || outFeatures <= 0 ? null : WithBias([outFeatures, inFeatures], bias ? outFeatures : null);
    }

    private static List<(string, long[])>? BatchNorm(ArchitectureFields f)
    {
        int features = f.Int("num_features");
        bool affine = f.Bool("affine"), track = f.Bool("track_running_stats");
        if (features <= 0)
        {
            return null;
        }
        var entries = new List<(string, long[])>();
        if (affine)
        {
            entries.AddRange([("weight", [features]), ("bias", [features])]);
        }
        if (track)
        {
            entries.AddRange([("running_mean", [features]), ("running_var", [features]), ("num_batches_tracked", [])]);
        }
        return entries;
    }

    private static List<(string, long[])> WithBias(long[] weight, int? bias) =>
        bias is int size ? [("weight", weight), ("bias", [size])] : [("weight", weight)];
}
