using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>
/// The explicit matrix C of a convolution on one image (no bias), built straight from the
/// definition: <c>vec(conv(x)) = C·vec(x)</c>, with rows indexed by (output channel, output
/// position) and columns by (input channel, input position), both row-major. C is sparse and
/// banded; materialising it shows why the transposed convolution is multiplication by Cᵀ and
/// why convolution's input gradient is <c>Cᵀ·gradOutput</c> (Dumoulin &amp; Visin, section 4).
/// Sizes grow as the product of both planes, so this is for explanation and tests, not training.
/// </summary>
public static class ConvolutionMatrix
{
    /// <summary>C of <paramref name="convolution"/> for one input of spatial size <paramref name="inputSize"/>.</summary>
    /// <returns>Shape [C_out·OutPlane, C_in·InPlane].</returns>
    public static Tensor Of(ConvNd convolution, params int[] inputSize)
    {
        ArgumentNullException.ThrowIfNull(convolution);
        return Build(convolution.Geometry, convolution.Weight.Value, convolution.Groups, inputSize);
    }

    /// <summary>
    /// C of the convolution that <paramref name="transposed"/> is the adjoint of, for one input of
    /// the transposed layer of spatial size <paramref name="inputSize"/>: its output is
    /// <c>Cᵀ·vec(input)</c> plus bias.
    /// </summary>
    /// <returns>Shape [C_in·InPlane, C_out·OutPlane], the transposed layer's input side first.</returns>
    public static Tensor OfTransposed(ConvTransposeNd transposed, params int[] inputSize)
    {
        ArgumentNullException.ThrowIfNull(transposed);
        int[] outputSize = transposed.Geometry.TransposedOutputSize(inputSize);
        // The adjoint convolution runs from the larger side (this layer's output) to its input.
        Window3 window = transposed.Geometry.ToWindow3(outputSize, inputSize);
        return Build(window, transposed.Weight.Value, transposed.Groups);
    }

    /// <summary>C of the convolution with <paramref name="geometry"/> and <paramref name="weight"/> for one input of spatial size <paramref name="inputSize"/>.</summary>
    /// <param name="geometry">Kernel, stride, padding and dilation.</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="groups">Number of groups.</param>
    /// <param name="inputSize">Spatial size of the input.</param>
    /// <returns>Shape [C_out·OutPlane, C_in·InPlane].</returns>
    public static Tensor Build(ConvGeometry geometry, Tensor weight, int groups, params int[] inputSize)
    {
        ArgumentNullException.ThrowIfNull(geometry);
        ArgumentNullException.ThrowIfNull(weight);
        int[] outputSize = geometry.ConvolutionOutputSize(inputSize);
        if (weight.Rank != geometry.SpatialDims + 2 || !weight.Shape.Dimensions[2..].SequenceEqual(geometry.Kernel))
        {
            throw new ArgumentException(
                $"{nameof(ConvolutionMatrix)}: weight {weight.Shape} does not match kernel {Shape.Format(geometry.Kernel)} of a {geometry.SpatialDims}-d convolution", nameof(weight));
        }
        return Build(geometry.ToWindow3(inputSize, outputSize), weight, groups);
    }

    private static Tensor Build(in Window3 window, Tensor weight, int groups)
    {
        int outChannels = weight.Shape[0], inPerGroup = weight.Shape[1];
        if (groups <= 0 || outChannels % groups != 0)
        {
            throw new ArgumentException($"{nameof(ConvolutionMatrix)}: groups ({groups}) must be positive and divide the {outChannels} output channels", nameof(groups));
        }
        var matrix = new Tensor(new Shape(outChannels * window.OutputPlane, inPerGroup * groups * window.InputPlane));
        int outPerGroup = outChannels / groups;
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < inPerGroup; c++)
            {
                int inChannel = o / outPerGroup * inPerGroup + c;
                ReadOnlySpan<float> kernel = weight.Span.Slice((o * inPerGroup + c) * window.KernelVolume, window.KernelVolume);
                FillBlock(matrix, window, kernel, o * window.OutputPlane, inChannel * window.InputPlane);
            }
        }
        return matrix;
    }

    /// <summary>Adds one (output channel, input channel) kernel into C: output position p reads input position p·s − pad + k·d for each tap k.</summary>
    private static void FillBlock(Tensor matrix, in Window3 w, ReadOnlySpan<float> kernel, int rowBase, int columnBase)
    {
        int columns = matrix.Shape[1];
        Span<float> data = matrix.Span;
        for (int p = 0; p < w.OutputPlane; p++)
        {
            int od = p / (w.OutH * w.OutW), oh = p / w.OutW % w.OutH, ow = p % w.OutW;
            for (int tap = 0; tap < w.KernelVolume; tap++)
            {
                int kd = tap / (w.KH * w.KW), kh = tap / w.KW % w.KH, kw = tap % w.KW;
                int id = od * w.SD - w.PD + kd * w.DD, ih = oh * w.SH - w.PH + kh * w.DH, iw = ow * w.SW - w.PW + kw * w.DW;
                if (id >= 0 && id < w.InD && ih >= 0 && ih < w.InH && iw >= 0 && iw < w.InW)
                {
                    data[(rowBase + p) * columns + columnBase + (id * w.InH + ih) * w.InW + iw] += kernel[tap];
                }
            }
        }
    }
}
