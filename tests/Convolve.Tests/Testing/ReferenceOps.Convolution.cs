using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Tests.Testing;

/// <summary>
/// Float64 twins of convolution, written from the definitions with direct loops over every
/// (output, input, kernel tap) triple. Convolution visits each output position and reads input
/// <c>p·s − pad + k·d</c>; transposed convolution visits each input position and scatters into
/// output <c>i·s − pad + k·d</c>. Spatial sizes are lifted to three dimensions by leading ones.
/// </summary>
public static partial class ReferenceOps
{
    /// <summary>Convolution output, shape [N, C_out, Out...]; weight [C_out, C_in/groups, k...].</summary>
    public static double[] ConvForward(Tensor input, Tensor weight, Tensor? bias, ConvGeometry geometry, int groups)
    {
        Shape outputShape = ConvOutputShape(input.Shape, weight.Shape[0], geometry);
        var output = new double[outputShape.Size];
        ForEachConvTap(input.Shape, outputShape, geometry, groups, (i, o, w) => output[o] += (double)input.Data[i] * weight.Data[w]);
        AddBias(output, outputShape, bias);
        return output;
    }

    /// <summary>∂L/∂input of convolution for a given ∂L/∂output.</summary>
    public static double[] ConvInputGrad(Tensor gradOutput, Tensor weight, ConvGeometry geometry, int groups, Shape inputShape)
    {
        var gradInput = new double[inputShape.Size];
        ForEachConvTap(inputShape, gradOutput.Shape, geometry, groups, (i, o, w) => gradInput[i] += (double)gradOutput.Data[o] * weight.Data[w]);
        return gradInput;
    }

    /// <summary>∂L/∂weight of convolution, shape [C_out, C_in/groups, k...].</summary>
    public static double[] ConvWeightGrad(Tensor input, Tensor gradOutput, ConvGeometry geometry, int groups)
    {
        var gradWeight = new double[gradOutput.Shape[1] * (input.Shape[1] / groups) * geometry.Kernel.Aggregate(1, (a, b) => a * b)];
        ForEachConvTap(input.Shape, gradOutput.Shape, geometry, groups, (i, o, w) => gradWeight[w] += (double)gradOutput.Data[o] * input.Data[i]);
        return gradWeight;
    }

    /// <summary>∂L/∂bias: the sum of ∂L/∂output over batch and positions, per channel.</summary>
    public static double[] BiasGrad(Tensor gradOutput)
    {
        int channels = gradOutput.Shape[1], plane = gradOutput.Shape.SizeFrom(2);
        var gradBias = new double[channels];
        for (int i = 0; i < gradOutput.Size; i++)
        {
            gradBias[i / plane % channels] += gradOutput.Data[i];
        }
        return gradBias;
    }

    /// <summary>Transposed convolution output, shape [N, C_out, Out...]; weight [C_in, C_out/groups, k...].</summary>
    public static double[] ConvTransposeForward(Tensor input, Tensor weight, Tensor? bias, ConvGeometry geometry, int groups)
    {
        Shape outputShape = ConvTransposeOutputShape(input.Shape, weight.Shape[1] * groups, geometry);
        var output = new double[outputShape.Size];
        ForEachScatter(input.Shape, outputShape, geometry, groups, (i, o, w) => output[o] += (double)input.Data[i] * weight.Data[w]);
        AddBias(output, outputShape, bias);
        return output;
    }

    /// <summary>∂L/∂input of transposed convolution.</summary>
    public static double[] ConvTransposeInputGrad(Tensor gradOutput, Tensor weight, ConvGeometry geometry, int groups, Shape inputShape)
    {
        var gradInput = new double[inputShape.Size];
        ForEachScatter(inputShape, gradOutput.Shape, geometry, groups, (i, o, w) => gradInput[i] += (double)gradOutput.Data[o] * weight.Data[w]);
        return gradInput;
    }

    /// <summary>∂L/∂weight of transposed convolution, shape [C_in, C_out/groups, k...].</summary>
    public static double[] ConvTransposeWeightGrad(Tensor input, Tensor gradOutput, ConvGeometry geometry, int groups)
    {
        var gradWeight = new double[input.Shape[1] * (gradOutput.Shape[1] / groups) * geometry.Kernel.Aggregate(1, (a, b) => a * b)];
        ForEachScatter(input.Shape, gradOutput.Shape, geometry, groups, (i, o, w) => gradWeight[w] += (double)gradOutput.Data[o] * input.Data[i]);
        return gradWeight;
    }

    /// <summary>Convolution output shape: <c>floor((in + p_before + p_after − d(k − 1) − 1)/s) + 1</c>.</summary>
    public static Shape ConvOutputShape(Shape inputShape, int outChannels, ConvGeometry g)
    {
        int[] dims = [inputShape[0], outChannels, .. inputShape.Dimensions[2..]];
        for (int i = 0; i < g.SpatialDims; i++)
        {
            dims[i + 2] = (dims[i + 2] + g.PadBefore[i] + g.PadAfter[i] - g.Dilation[i] * (g.Kernel[i] - 1) - 1) / g.Stride[i] + 1;
        }
        return new Shape(dims);
    }

    /// <summary>Transposed convolution output shape: <c>(in − 1)s − 2p + d(k − 1) + output_padding + 1</c>.</summary>
    public static Shape ConvTransposeOutputShape(Shape inputShape, int outChannels, ConvGeometry g)
    {
        int[] dims = [inputShape[0], outChannels, .. inputShape.Dimensions[2..]];
        for (int i = 0; i < g.SpatialDims; i++)
        {
            dims[i + 2] = (dims[i + 2] - 1) * g.Stride[i] - 2 * g.PadBefore[i] + g.Dilation[i] * (g.Kernel[i] - 1) + g.OutputPadding[i] + 1;
        }
        return new Shape(dims);
    }

    /// <summary>The column matrix of one image, element by element: zero where the tap reads padding.</summary>
    public static double[] Im2Col(ReadOnlySpan<float> image, int channels, Window3 w)
    {
        var columns = new double[channels * w.KernelVolume * w.OutputPlane];
        for (int c = 0; c < channels; c++)
        for (int kd = 0; kd < w.KD; kd++)
        for (int kh = 0; kh < w.KH; kh++)
        for (int kw = 0; kw < w.KW; kw++)
        for (int od = 0; od < w.OutD; od++)
        for (int oh = 0; oh < w.OutH; oh++)
        for (int ow = 0; ow < w.OutW; ow++)
        {
            int id = od * w.SD - w.PD + kd * w.DD, ih = oh * w.SH - w.PH + kh * w.DH, iw = ow * w.SW - w.PW + kw * w.DW;
            bool inside = id >= 0 && id < w.InD && ih >= 0 && ih < w.InH && iw >= 0 && iw < w.InW;
            int row = ((c * w.KD + kd) * w.KH + kh) * w.KW + kw, column = (od * w.OutH + oh) * w.OutW + ow;
            columns[row * w.OutputPlane + column] = inside ? image[((c * w.InD + id) * w.InH + ih) * w.InW + iw] : 0;
        }
        return columns;
    }

    /// <summary>Visits (input index, output index, weight index) for every output position and tap that reads inside the input.</summary>
    private static void ForEachConvTap(Shape inputShape, Shape outputShape, ConvGeometry g, int groups, Action<int, int, int> visit)
    {
        int[] inSize = Lift(inputShape.Dimensions[2..], 1), outSize = Lift(outputShape.Dimensions[2..], 1);
        int[] k = Lift(g.Kernel, 1), s = Lift(g.Stride, 1), p = Lift(g.PadBefore, 0), d = Lift(g.Dilation, 1);
        int inChannels = inputShape[1], outChannels = outputShape[1], inPerGroup = inChannels / groups, outPerGroup = outChannels / groups;
        for (int n = 0; n < inputShape[0]; n++)
        for (int co = 0; co < outChannels; co++)
        for (int cl = 0; cl < inPerGroup; cl++)
        for (int od = 0; od < outSize[0]; od++)
        for (int oh = 0; oh < outSize[1]; oh++)
        for (int ow = 0; ow < outSize[2]; ow++)
        for (int kd = 0; kd < k[0]; kd++)
        for (int kh = 0; kh < k[1]; kh++)
        for (int kw = 0; kw < k[2]; kw++)
        {
            int id = od * s[0] - p[0] + kd * d[0], ih = oh * s[1] - p[1] + kh * d[1], iw = ow * s[2] - p[2] + kw * d[2];
            if (id < 0 || id >= inSize[0] || ih < 0 || ih >= inSize[1] || iw < 0 || iw >= inSize[2])
            {
                continue;
            }
            int ci = co / outPerGroup * inPerGroup + cl;
            visit(
                (((n * inChannels + ci) * inSize[0] + id) * inSize[1] + ih) * inSize[2] + iw,
                (((n * outChannels + co) * outSize[0] + od) * outSize[1] + oh) * outSize[2] + ow,
                (((co * inPerGroup + cl) * k[0] + kd) * k[1] + kh) * k[2] + kw);
        }
    }

    /// <summary>Visits (input index, output index, weight index) for every input position and tap that lands inside the output.</summary>
    private static void ForEachScatter(Shape inputShape, Shape outputShape, ConvGeometry g, int groups, Action<int, int, int> visit)
    {
        int[] inSize = Lift(inputShape.Dimensions[2..], 1), outSize = Lift(outputShape.Dimensions[2..], 1);
        int[] k = Lift(g.Kernel, 1), s = Lift(g.Stride, 1), p = Lift(g.PadBefore, 0), d = Lift(g.Dilation, 1);
        int inChannels = inputShape[1], outChannels = outputShape[1], inPerGroup = inChannels / groups, outPerGroup = outChannels / groups;
        for (int n = 0; n < inputShape[0]; n++)
        for (int ci = 0; ci < inChannels; ci++)
        for (int cl = 0; cl < outPerGroup; cl++)
        for (int id = 0; id < inSize[0]; id++)
        for (int ih = 0; ih < inSize[1]; ih++)
        for (int iw = 0; iw < inSize[2]; iw++)
        for (int kd = 0; kd < k[0]; kd++)
        for (int kh = 0; kh < k[1]; kh++)
        for (int kw = 0; kw < k[2]; kw++)
        {
            int od = id * s[0] - p[0] + kd * d[0], oh = ih * s[1] - p[1] + kh * d[1], ow = iw * s[2] - p[2] + kw * d[2];
            if (od < 0 || od >= outSize[0] || oh < 0 || oh >= outSize[1] || ow < 0 || ow >= outSize[2])
            {
                continue;
            }
            int co = ci / inPerGroup * outPerGroup + cl;
            visit(
                (((n * inChannels + ci) * inSize[0] + id) * inSize[1] + ih) * inSize[2] + iw,
                (((n * outChannels + co) * outSize[0] + od) * outSize[1] + oh) * outSize[2] + ow,
                (((ci * outPerGroup + cl) * k[0] + kd) * k[1] + kh) * k[2] + kw);
        }
    }

    private static void AddBias(double[] output, Shape outputShape, Tensor? bias)
    {
        if (bias is null)
        {
            return;
        }
        int channels = outputShape[1], plane = outputShape.SizeFrom(2);
        for (int i = 0; i < output.Length; i++)
        {
            output[i] += bias.Data[i / plane % channels];
        }
    }

    private static int[] Lift(ReadOnlySpan<int> values, int unit)
    {
        int[] lifted = [unit, unit, unit];
        values.CopyTo(lifted.AsSpan(3 - values.Length));
        return lifted;
    }
}
