using Convolve.Diagnostics;
using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>Identities from the derivation of convolution's backward pass and of transposed convolution.</summary>
public class ConvolutionIdentityTests
{
    private const double Rtol = 1e-4, Atol = 2e-4;

    /// <summary>
    /// ∂L/∂x[c, i] = Σ_{o, k} gy[o]·w[o, c, k] over i = p·s − pad + k·d. Dilating gy by s and
    /// reversing the kernel turns this into a stride-1 correlation with padding d(k − 1) − pad
    /// (the "full" convolution when pad = 0) of the rotated, channel-swapped kernel; r trailing
    /// zeros cover input elements no window reached.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Input_gradient_is_the_full_convolution_with_the_rotated_kernel(int dims)
    {
        for (ulong seed = 1; seed <= 25; seed++)
        {
            ConvCase c = RandomExplicitlyPadded(dims, seed);
            ConvNd layer = c.Conv(seed);
            Tensor output = layer.Forward(c.Input(seed + 1));
            Tensor gradOutput = Tensor.RandomNormal(output.Shape, seed + 2);
            Tensor gradInput = layer.Backward(gradOutput);

            ConvGeometry g = layer.Geometry;
            int[] fullPadding = Enumerable.Range(0, dims).Select(i => g.Dilation[i] * (g.Kernel[i] - 1) - g.PadBefore[i]).ToArray();
            var full = ConvGeometry.ForConvolution("full", dims, g.Kernel, 1, fullPadding, g.Dilation);
            Tensor dilated = DilateWithZeros(gradOutput, g, c.InputSize);
            double[] expected = ReferenceOps.ConvForward(dilated, RotateAndSwap(layer.Weight.Value, c.Groups), null, full, c.Groups);
            TensorAssert.Close(expected, gradInput.Data, Rtol, Atol, $"{c}: gradInput vs full convolution with the rotated kernel");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Convolution_is_multiplication_by_its_matrix_and_its_input_gradient_by_the_transpose(int dims)
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            ConvCase c = ConvCase.RandomConv(dims, seed * 31) with { Bias = false };
            ConvNd layer = c.Conv(seed);
            Tensor input = c.Input(seed + 1);
            Tensor output = layer.Forward(input);
            Tensor gradOutput = Tensor.RandomNormal(output.Shape, seed + 2);
            Tensor gradInput = layer.Backward(gradOutput);
            Tensor matrix = ConvolutionMatrix.Of(layer, c.InputSize);
            Assert.Equal(new Shape(output.Size / c.Batch, input.Size / c.Batch), matrix.Shape);
            TensorAssert.Close(PerImage(matrix, input, transpose: false), output.Data, Rtol, Atol, $"{c}: C·vec(x)");
            TensorAssert.Close(PerImage(matrix, gradOutput, transpose: true), gradInput.Data, Rtol, Atol, $"{c}: Cᵀ·gradOutput");
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Transposed_convolution_is_multiplication_by_the_transposed_matrix(int dims)
    {
        for (ulong seed = 1; seed <= 20; seed++)
        {
            ConvCase c = ConvCase.RandomTransposed(dims, seed * 37) with { Bias = false };
            ConvTransposeNd layer = c.Transposed(seed);
            Tensor input = c.Input(seed + 1);
            Tensor output = layer.Forward(input);
            Tensor matrix = ConvolutionMatrix.OfTransposed(layer, c.InputSize);
            Assert.Equal(new Shape(input.Size / c.Batch, output.Size / c.Batch), matrix.Shape);
            TensorAssert.Close(PerImage(matrix, input, transpose: true), output.Data, Rtol, Atol, $"{c}: Cᵀ·vec(x)");
        }
    }

    [Fact]
    public void Matrix_of_a_transposed_convolution_is_the_matrix_of_the_convolution_with_its_weight()
    {
        var transposed = new ConvTranspose2d(2, 3, (3, 2), stride: 2, padding: 1, outputPadding: 1, random: new RandomSource(5));
        var convolution = new Conv2d(3, 2, (3, 2), stride: 2, padding: 1, random: new RandomSource(6));
        convolution.Weight.Load(transposed.Weight.Value.Span);
        // Output padding 1 < stride 2 keeps the convolution arithmetic of the 8×5 output at the 4×3 input.
        TensorAssert.Close(ConvolutionMatrix.Of(convolution, 8, 5), ConvolutionMatrix.OfTransposed(transposed, 4, 3), 0, 0, "C");
    }

    private static ConvCase RandomExplicitlyPadded(int dims, ulong seed)
    {
        var r = new RandomSource(seed * 7 + (ulong)dims);
        int groups = 1 + r.NextInt(2);
        int[] kernel = new int[dims], stride = new int[dims], dilation = new int[dims], padding = new int[dims], input = new int[dims];
        for (int i = 0; i < dims; i++)
        {
            kernel[i] = 1 + r.NextInt(3);
            stride[i] = 1 + r.NextInt(3);
            dilation[i] = 1 + r.NextInt(2);
            padding[i] = r.NextInt(dilation[i] * (kernel[i] - 1) + 1);
            input[i] = Math.Max(1, dilation[i] * (kernel[i] - 1) + 1 - 2 * padding[i]) + r.NextInt(4);
        }
        return new ConvCase($"explicit padding {seed}", dims, 1 + r.NextInt(2), groups * (1 + r.NextInt(3)), groups * (1 + r.NextInt(3)), groups,
            kernel, stride, padding, dilation, input, new int[dims], true);
    }

    /// <summary>Places gy[o] at o·s in a zero tensor long enough that the full convolution returns the input size.</summary>
    private static Tensor DilateWithZeros(Tensor gradOutput, ConvGeometry g, int[] inputSize)
    {
        int dims = g.SpatialDims;
        int[] outSize = gradOutput.Shape.Dimensions[2..].ToArray();
        int[] size = Enumerable.Range(0, dims).Select(i => inputSize[i] + 2 * g.PadBefore[i] - g.Dilation[i] * (g.Kernel[i] - 1)).ToArray();
        var dilated = new Tensor(new Shape([gradOutput.Shape[0], gradOutput.Shape[1], .. size]));
        int planes = gradOutput.Shape[0] * gradOutput.Shape[1], outPlane = gradOutput.Shape.SizeFrom(2), plane = dilated.Shape.SizeFrom(2);
        for (int nc = 0; nc < planes; nc++)
        {
            for (int o = 0; o < outPlane; o++)
            {
                int target = 0;
                for (int i = 0, rest = o, stride = outPlane; i < dims; i++)
                {
                    stride /= outSize[i];
                    target = target * size[i] + rest / stride * g.Stride[i];
                    rest %= stride;
                }
                dilated.Data[nc * plane + target] = gradOutput.Data[nc * outPlane + o];
            }
        }
        return dilated;
    }

    /// <summary>w[o, c, k] of shape [C_out, C_in/g, K...] → w'[c, o', K − 1 − k] of shape [C_in, C_out/g, K...], group by group.</summary>
    private static Tensor RotateAndSwap(Tensor weight, int groups)
    {
        int outChannels = weight.Shape[0], inPerGroup = weight.Shape[1], taps = weight.Shape.SizeFrom(2), outPerGroup = outChannels / groups;
        var rotated = new Tensor(new Shape([inPerGroup * groups, outPerGroup, .. weight.Shape.Dimensions[2..]]));
        for (int o = 0; o < outChannels; o++)
        {
            for (int c = 0; c < inPerGroup; c++)
            {
                int group = o / outPerGroup, inChannel = group * inPerGroup + c;
                for (int t = 0; t < taps; t++)
                {
                    // Reversing the flat tap index reverses every spatial axis at once.
                    rotated.Data[(inChannel * outPerGroup + o % outPerGroup) * taps + taps - 1 - t] = weight.Data[(o * inPerGroup + c) * taps + t];
                }
            }
        }
        return rotated;
    }

    /// <summary>C·x (or Cᵀ·x) for every image of the batch, in double.</summary>
    private static double[] PerImage(Tensor matrix, Tensor batch, bool transpose)
    {
        int rows = matrix.Shape[0], columns = matrix.Shape[1];
        int inLength = transpose ? rows : columns, outLength = transpose ? columns : rows;
        int images = batch.Size / inLength;
        var result = new double[images * outLength];
        for (int n = 0; n < images; n++)
        {
            for (int r = 0; r < rows; r++)
            {
                for (int c = 0; c < columns; c++)
                {
                    double entry = matrix.Data[r * columns + c];
                    if (transpose)
                    {
                        result[n * outLength + c] += entry * batch.Data[n * inLength + r];
                    }
                    else
                    {
                        result[n * outLength + r] += entry * batch.Data[n * inLength + c];
                    }
                }
            }
        }
        return result;
    }
}
