namespace Convolve.Tests.Testing;

/// <summary>
/// The options of one pooling window in the tests, one value per spatial dimension, with the
/// output-size rule written straight from PyTorch's documentation (independent of ConvGeometry):
/// <c>out = ⌊ or ⌈(in + 2p − d·(k − 1) − 1)/s⌉ + 1</c>, and in ceil mode a last window that
/// would start in the right padding is dropped.
/// </summary>
public sealed record PoolSpec(int[] Kernel, int[] Stride, int[] Padding, int[] Dilation, bool CeilMode)
{
    /// <summary>Number of spatial dimensions.</summary>
    public int Dims => Kernel.Length;

    /// <summary>Output spatial sizes for the given input spatial sizes.</summary>
    public int[] OutputSize(int[] input)
    {
        var output = new int[Dims];
        for (int i = 0; i < Dims; i++)
        {
            double q = (double)(input[i] + 2 * Padding[i] - Dilation[i] * (Kernel[i] - 1) - 1) / Stride[i];
            output[i] = (int)(CeilMode ? Math.Ceiling(q) : Math.Floor(q)) + 1;
            if (CeilMode && (output[i] - 1) * Stride[i] >= input[i] + Padding[i])
            {
                output[i]--;
            }
        }
        return output;
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"k{Fmt(Kernel)} s{Fmt(Stride)} p{Fmt(Padding)} d{Fmt(Dilation)}{(CeilMode ? " ceil" : "")}";

    private static string Fmt(int[] values) => "[" + string.Join(",", values) + "]";
}
