using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Convolution;

/// <summary>
/// The chunked im2col + GEMM passes (Im2ColConvolution) when a batch spans several chunks (the workspace bound is
/// set so that two images fit, so a batch of 5 runs as chunks of 2, 2 and 1), against the
/// float64 direct-loop twins, and the strided im2col/col2im the chunks are built from.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide Parallelism.MaxThreads
public class ConvolutionChunkTests
{
    private const double Rtol = 1e-4, Atol = 2e-4;

    public static TheoryData<int[], int, int, int, int[], int[], int, int[]> Cases() => new()
    {
        // input [N, C, spatial...], C_out, groups, images per chunk, kernel, stride, padding, dilation
        { [5, 3, 6, 7], 4, 1, 2, [3, 3], [1, 1], 1, [1, 1] },
        { [5, 4, 5, 5], 6, 2, 2, [2, 3], [2, 1], 0, [1, 2] },
        { [5, 6, 4, 3], 4, 2, 2, [1, 1], [1, 1], 0, [1, 1] },
        { [3, 5, 9], 3, 1, 1, [3], [2], 2, [1] },
        { [5, 2, 3, 4, 4], 3, 1, 3, [2, 2, 2], [1, 2, 1], 1, [1, 1, 1] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Passes_over_several_chunks_match_reference(int[] inputDims, int outChannels, int groups, int imagesPerChunk, int[] kernel, int[] stride, int padding, int[] dilation)
    {
        int dims = inputDims.Length - 2, inChannels = inputDims[1];
        ConvGeometry geometry = ConvGeometry.ForConvolution("test", dims, kernel, stride, padding, dilation);
        var input = Tensor.RandomNormal(new Shape(inputDims), 11);
        var weight = Tensor.RandomNormal(new Shape([outChannels, inChannels / groups, .. kernel]), 12);
        Shape outputShape = ReferenceOps.ConvOutputShape(input.Shape, outChannels, geometry);
        var layout = new ConvolutionLayout(inputDims[0], inChannels, outChannels, groups,
            geometry.ToWindow3(inputDims.AsSpan(2), outputShape.Dimensions.ToArray().AsSpan(2)));
        int perImage = Math.Max(layout.ColumnSize, layout.OutputImage);
        var passes = new Im2ColConvolution(imagesPerChunk * perImage + perImage - 1);
        string context = $"input {input.Shape}, weight {weight.Shape}, {imagesPerChunk} images per chunk";

        var output = new Tensor(outputShape);
        passes.Forward(input.Data, weight.Data, output.Data, layout);
        TensorAssert.Close(ReferenceOps.ConvForward(input, weight, null, geometry, groups), output.Data, Rtol, Atol, $"{context}: forward");

        var gradOutput = Tensor.RandomNormal(outputShape, 13);
        var gradInput = Tensor.Full(input.Shape, float.NaN);
        passes.BackwardData(gradOutput.Data, weight.Data, gradInput.Data, layout);
        TensorAssert.Close(ReferenceOps.ConvInputGrad(gradOutput, weight, geometry, groups, input.Shape), gradInput.Data, Rtol, Atol, $"{context}: gradInput");

        var gradWeight = Tensor.Full(weight.Shape, 0.5f);
        passes.BackwardWeight(input.Data, gradOutput.Data, gradWeight.Data, layout);
        double[] expected = ReferenceOps.ConvWeightGrad(input, gradOutput, geometry, groups).Select(value => value + 0.5).ToArray();
        TensorAssert.Close(expected, gradWeight.Data, Rtol, Atol, $"{context}: gradWeight (added to 0.5)");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Chunks_run_in_parallel_give_the_same_bits_for_every_thread_count(int groups)
    {
        // Nine one-image chunks: with 2 and 3 threads whole chunks run in parallel, with 1 in order.
        ConvGeometry geometry = ConvGeometry.ForConvolution("test", 2, new[] { 3, 3 }, new[] { 1, 1 }, 1, new[] { 1, 1 });
        var input = Tensor.RandomNormal(new Shape(9, 4, 6, 7), 21);
        var weight = Tensor.RandomNormal(new Shape(6, 4 / groups, 3, 3), 22);
        Shape outputShape = ReferenceOps.ConvOutputShape(input.Shape, 6, geometry);
        var layout = new ConvolutionLayout(9, 4, 6, groups, geometry.ToWindow3(new[] { 6, 7 }, outputShape.Dimensions.ToArray().AsSpan(2)));
        var gradOutput = Tensor.RandomNormal(outputShape, 23);
        int saved = Parallelism.MaxThreads;
        var results = new List<(float[] Output, float[] GradInput, float[] GradWeight)>();
        try
        {
            foreach (int threads in new[] { 1, 2, 3 })
            {
                Parallelism.MaxThreads = threads;
                var passes = new Im2ColConvolution(Math.Max(layout.ColumnSize, layout.OutputImage));
                var output = new float[outputShape.Size];
                var gradInput = new float[input.Size];
                var gradWeight = Tensor.Full(weight.Shape, 0.25f).Data;
                passes.Forward(input.Data, weight.Data, output, layout);
                passes.BackwardData(gradOutput.Data, weight.Data, gradInput, layout);
                passes.BackwardWeight(input.Data, gradOutput.Data, gradWeight, layout);
                results.Add((output, gradInput, gradWeight));
            }
        }
        finally
        {
            Parallelism.MaxThreads = saved;
        }
        TensorAssert.Close(ReferenceOps.ConvForward(input, weight, null, geometry, groups), results[0].Output, Rtol, Atol, "forward");
        TensorAssert.Close(ReferenceOps.ConvInputGrad(gradOutput, weight, geometry, groups, input.Shape), results[0].GradInput, Rtol, Atol, "gradInput");
        double[] expected = ReferenceOps.ConvWeightGrad(input, gradOutput, geometry, groups).Select(value => value + 0.25).ToArray();
        TensorAssert.Close(expected, results[0].GradWeight, Rtol, Atol, "gradWeight (added to 0.25)");
        for (int i = 1; i < results.Count; i++)
        {
            TensorAssert.Identical(results[0].Output, results[i].Output, $"forward, {i + 1} threads");
            TensorAssert.Identical(results[0].GradInput, results[i].GradInput, $"gradInput, {i + 1} threads");
            TensorAssert.Identical(results[0].GradWeight, results[i].GradWeight, $"gradWeight, {i + 1} threads");
        }
    }

    [Fact]
    public void Strided_im2col_and_col2im_equal_the_dense_ones_placed_in_a_wider_matrix()
    {
        var window = new Window3(1, 5, 6, 1, 5, 3, 1, 3, 2, 1, 1, 2, 0, 1, 0, 1, 1, 1);
        int channels = 3, rows = channels * window.KernelVolume, plane = window.OutputPlane, stride = plane * 3 + 1, offset = plane + 2;
        float[] image = Tensor.RandomNormal(new Shape(channels * window.InputPlane), 5).Data;
        var dense = new float[rows * plane];
        Im2Col.Run(image, channels, window, dense);
        var wide = new float[rows * stride];
        wide.AsSpan().Fill(float.NaN);
        Im2Col.Run(image, channels, window, wide.AsSpan(offset, (rows - 1) * stride + plane), stride);
        for (int r = 0; r < rows; r++)
        {
            TensorAssert.Identical(dense.AsSpan(r * plane, plane), wide.AsSpan(offset + r * stride, plane), $"row {r}");
            Assert.True(float.IsNaN(wide[offset + r * stride + plane]), $"row {r}: wrote past its {plane} columns");
        }

        var denseRaised = new float[image.Length];
        var wideRaised = new float[image.Length];
        Col2ImAdd.Run(dense, channels, window, denseRaised);
        Col2ImAdd.Run(wide.AsSpan(offset, (rows - 1) * stride + plane), stride, channels, window, wideRaised);
        TensorAssert.Identical(denseRaised, wideRaised, "col2im");
    }

    [Fact]
    public void A_column_stride_below_the_output_plane_is_refused()
    {
        var window = new Window3(1, 4, 4, 1, 3, 3, 1, 2, 2, 1, 1, 1, 0, 0, 0, 1, 1, 1);
        var ex = Assert.Throws<ArgumentException>(() => Im2Col.Run(new float[16], 1, window, new float[40], 8));
        Assert.Contains("column stride (8) must be at least the output plane (9)", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Col2ImAdd.Run(new float[40], 10, 1, window, new float[16]));
        Assert.Contains("columns of 39 elements but got 16 and 40", ex.Message, StringComparison.Ordinal);
    }
}
