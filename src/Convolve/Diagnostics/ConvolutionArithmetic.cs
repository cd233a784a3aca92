using Convolve.Kernels;

namespace Convolve.Diagnostics;

/// <summary>
/// Convolution arithmetic along one spatial dimension (Dumoulin &amp; Visin, "A guide to convolution
/// arithmetic for deep learning"), the library side of <c>convolve shapes</c>. A convolution gives
/// <c>out = floor((in + 2p − d(k − 1) − 1)/s) + 1</c>; the floor drops the last
/// <c>(in + 2p − d(k − 1) − 1) mod s</c> padded rows, which no window reaches. Its transpose gives
/// <c>(in − 1)·s − 2p + d(k − 1) + 1 + output_padding</c>, and because several convolution inputs
/// share one output size, the output padding chooses which of them the transpose returns to.
/// Every check is <see cref="ConvGeometry"/>'s, so the messages match the layers'.
/// </summary>
public static class ConvolutionArithmetic
{
    private const string Owner = nameof(ConvolutionArithmetic);

    /// <summary>The convolution's output size for an input of <paramref name="input"/> positions.</summary>
    /// <exception cref="ArgumentException">An option is invalid or the kernel does not fit the padded input.</exception>
    public static int OutputSize(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1) =>
        Convolution(input, kernel, stride, padding, dilation).ConvolutionOutputSize([input])[0];

    /// <summary>
    /// The padded input positions at the far end that the floor rounding leaves unused,
    /// <c>(in + 2p − d(k − 1) − 1) mod s</c>: the last window starts that many positions before the
    /// point where one more stride would have fitted. Zero means every position is covered.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid or the kernel does not fit the padded input.</exception>
    public static int UnusedInput(int input, int kernel, int stride = 1, int padding = 0, int dilation = 1)
    {
        ConvGeometry geometry = Convolution(input, kernel, stride, padding, dilation);
        geometry.ConvolutionOutputSize([input]);
        // The padded span past the first window's extent, d(k − 1) + 1, is what the strides divide.
        return (input + 2 * padding - geometry.EffectiveKernel(0)) % stride;
    }

    /// <summary>The transposed convolution's output size for an input of <paramref name="input"/> positions.</summary>
    /// <exception cref="ArgumentException">An option is invalid, the output padding is not below stride or dilation, or the output is empty.</exception>
    public static int TransposedOutputSize(int input, int kernel, int stride = 1, int padding = 0, int outputPadding = 0, int dilation = 1)
    {
        RequirePositiveInput(input);
        return ConvGeometry.ForTransposedConvolution(Owner, 1, kernel, stride, padding, outputPadding, dilation).TransposedOutputSize([input])[0];
    }

    /// <summary>
    /// The output padding that makes a transposed convolution of an input of <paramref name="input"/>
    /// positions produce exactly <paramref name="wantedOutput"/> positions, e.g. to undo a strided
    /// convolution whose floor rounding dropped input rows.
    /// </summary>
    /// <exception cref="ArgumentException">No allowed output padding (0 to max(stride, dilation) − 1) reaches the wanted size; the message names the reachable range.</exception>
    public static int OutputPaddingFor(int input, int wantedOutput, int kernel, int stride = 1, int padding = 0, int dilation = 1)
    {
        int smallest = TransposedOutputSize(input, kernel, stride, padding, 0, dilation);
        int largestPadding = Math.Max(stride, dilation) - 1;
        int outputPadding = wantedOutput - smallest;
        if (outputPadding < 0 || outputPadding > largestPadding)
        {
            throw new ArgumentException(
                $"{Owner}: a transposed convolution of input {input} with kernel {kernel}, stride {stride}, padding {padding}, dilation {dilation} "
                + $"reaches output sizes {smallest} to {smallest + largestPadding} (output padding 0 to {largestPadding}), not {wantedOutput}",
                nameof(wantedOutput));
        }
        return outputPadding;
    }

    private static ConvGeometry Convolution(int input, int kernel, int stride, int padding, int dilation)
    {
        RequirePositiveInput(input);
        return ConvGeometry.ForConvolution(Owner, 1, kernel, stride, padding, dilation);
    }

    private static void RequirePositiveInput(int input)
    {
        if (input <= 0)
        {
            throw new ArgumentException($"{Owner}: input size must be positive but got {input}", nameof(input));
        }
    }
}
