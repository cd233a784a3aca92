using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>
/// The forward cost of one leaf layer for <see cref="ModelSummary"/>: floating-point operations
/// by the conventions stated there, and the bytes of the im2col column buffer a convolution keeps.
/// </summary>
internal static class LayerCost
{
    /// <summary>Operations of one forward pass from <paramref name="input"/> to <paramref name="output"/>.</summary>
    public static long Flops(Layer layer, Shape input, Shape output)
    {
        long outputs = output.Size;
        return layer switch
        {
            // Each output: (C_in/groups)·K multiply-adds, then the bias.
            ConvNd conv => outputs * (2L * (conv.InChannels / conv.Groups) * KernelVolume(conv.Geometry.Kernel) + BiasTerm(conv.Bias)),
            // Each input element scatters (C_out/groups)·K multiply-adds; the bias is added per output.
            ConvTransposeNd transposed => (long)input.Size * 2L * (transposed.OutChannels / transposed.Groups) * KernelVolume(transposed.Geometry.Kernel)
                + outputs * BiasTerm(transposed.Bias),
            Linear linear => outputs * (2L * linear.InFeatures + BiasTerm(linear.Bias)),
            PoolingLayer pooling => outputs * KernelVolume(pooling.Geometry.Kernel),
            AdaptiveAvgPool2d adaptive => (long)input[0] * input[1]
                * BinElements(input[2], adaptive.OutputSize[0]) * BinElements(input[3], adaptive.OutputSize[1]),
            Activation or BatchNorm or Dropout or BroadcastLayer => outputs,
            // One comparison or addition per input element.
            GlobalMaxPool or ReduceMean => input.Size,
            _ => 0,
        };
    }

    /// <summary>Bytes of a convolution's working copy of one image for the algorithm that runs; 0 for other layers.</summary>
    public static long WorkspaceBytes(Layer layer, Shape input, Shape output) =>
        layer is ConvolutionBase convolution ? convolution.WorkspaceBytes(input, output) : 0;

    /// <summary>
    /// The convolution algorithm that runs for <paramref name="input"/>, e.g. <c>Direct</c>, or
    /// <c>Direct, Im2Col gradients</c> when the gradients run another; empty for other layers.
    /// </summary>
    public static string Algorithm(Layer layer, Shape input)
    {
        if (layer is not ConvolutionBase convolution)
        {
            return "";
        }
        ConvolutionAlgorithm forward = convolution.AlgorithmFor(input, ConvolutionPass.Forward);
        ConvolutionAlgorithm data = convolution.AlgorithmFor(input, ConvolutionPass.InputGradient);
        ConvolutionAlgorithm weight = convolution.AlgorithmFor(input, ConvolutionPass.WeightGradient);
        return (forward == data && data == weight) ? $"{forward}"
            : data == weight ? $"{forward}, {data} gradients" : $"{forward}, {data} input and {weight} weight gradients";
    }

    private static long KernelVolume(int[] kernel)
    {
        long volume = 1;
        foreach (int k in kernel)
        {
            volume *= k;
        }
        return volume;
    }

    private static long BiasTerm(Parameter? bias) => bias is null ? 0 : 1;

    /// <summary>Σ over PyTorch's adaptive bins <c>[floor(i·in/out), ceil((i + 1)·in/out))</c> of their sizes.</summary>
    private static long BinElements(int input, int output)
    {
        long total = 0;
        for (int i = 0; i < output; i++)
        {
            long start = (long)i * input / output;
            long end = ((long)(i + 1) * input + output - 1) / output;
            total += end - start;
        }
        return total;
    }
}
