using System.Runtime.CompilerServices;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// The three passes of a batched convolution as im2col + GEMM, written once in the
/// convolution's own direction (<see cref="ConvolutionLayout"/>) and reused by both
/// <see cref="ConvNd"/> and <see cref="ConvTransposeNd"/>. Per image and per group g, with
/// <c>col</c> the <see cref="Im2Col"/> lowering of the input:
/// <c>output_g = weight_g · col_g</c>, <c>gradWeight_g += gradOutput_g · col_gᵀ</c> and
/// <c>gradInput = col2im(weight_gᵀ · gradOutput_g)</c>. The column matrix of one image lives in
/// a workspace that grows to the largest image seen and is reused, so memory stays bounded by
/// one image whatever the batch size.
/// </summary>
internal sealed class ConvolutionPasses
{
    private float[] columns = [];

    /// <summary>Writes <c>output = weight ⋆ input</c> (no bias).</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="output">Shape [N, C_out, Out...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Forward(ReadOnlySpan<float> input, ReadOnlySpan<float> weight, Span<float> output, in ConvolutionLayout layout)
    {
        int plane = layout.Window.OutputPlane, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        for (int n = 0; n < layout.Batch; n++)
        {
            ReadOnlySpan<float> col = Lower(input.Slice(n * layout.InputImage, layout.InputImage), layout);
            Span<float> image = output.Slice(n * layout.OutputImage, layout.OutputImage);
            for (int g = 0; g < layout.Groups; g++)
            {
                Gemm.Multiply(
                    false, false, rows, plane, depth, 1f,
                    weight.Slice(g * rows * depth, rows * depth), depth,
                    col.Slice(g * depth * plane, depth * plane), plane,
                    0f, image.Slice(g * rows * plane, rows * plane), plane);
            }
        }
    }

    /// <summary>Writes <c>gradInput = col2im(weightᵀ · gradOutput)</c>, the adjoint of <see cref="Forward"/>.</summary>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="weight">Shape [C_out, C_in/groups, k...].</param>
    /// <param name="gradInput">Shape [N, C_in, In...]; overwritten.</param>
    /// <param name="layout">The sizes.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BackwardData(ReadOnlySpan<float> gradOutput, ReadOnlySpan<float> weight, Span<float> gradInput, in ConvolutionLayout layout)
    {
        int plane = layout.Window.OutputPlane, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        for (int n = 0; n < layout.Batch; n++)
        {
            ReadOnlySpan<float> gradImage = gradOutput.Slice(n * layout.OutputImage, layout.OutputImage);
            Span<float> image = gradInput.Slice(n * layout.InputImage, layout.InputImage);
            // A pointwise convolution's columns are the image itself, so the GEMM writes it directly.
            Span<float> col = layout.IsPointwise ? image : Workspace(layout);
            for (int g = 0; g < layout.Groups; g++)
            {
                Gemm.Multiply(
                    true, false, depth, plane, rows, 1f,
                    weight.Slice(g * rows * depth, rows * depth), depth,
                    gradImage.Slice(g * rows * plane, rows * plane), plane,
                    0f, col.Slice(g * depth * plane, depth * plane), plane);
            }
            if (!layout.IsPointwise)
            {
                image.Clear();
                Col2ImAdd.Run(col, layout.InputChannels, layout.Window, image);
            }
        }
    }

    /// <summary>Adds <c>gradOutput · colᵀ</c> into <paramref name="gradWeight"/>, recomputing the columns per image.</summary>
    /// <param name="input">Shape [N, C_in, In...].</param>
    /// <param name="gradOutput">Shape [N, C_out, Out...].</param>
    /// <param name="gradWeight">Shape [C_out, C_in/groups, k...]; accumulated into.</param>
    /// <param name="layout">The sizes.</param>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void BackwardWeight(ReadOnlySpan<float> input, ReadOnlySpan<float> gradOutput, Span<float> gradWeight, in ConvolutionLayout layout)
    {
        int plane = layout.Window.OutputPlane, rows = layout.OutputChannelsPerGroup, depth = layout.ColumnRowsPerGroup;
        for (int n = 0; n < layout.Batch; n++)
        {
            ReadOnlySpan<float> col = Lower(input.Slice(n * layout.InputImage, layout.InputImage), layout);
            ReadOnlySpan<float> gradImage = gradOutput.Slice(n * layout.OutputImage, layout.OutputImage);
            for (int g = 0; g < layout.Groups; g++)
            {
                Gemm.Multiply(
                    false, true, rows, depth, plane, 1f,
                    gradImage.Slice(g * rows * plane, rows * plane), plane,
                    col.Slice(g * depth * plane, depth * plane), plane,
                    1f, gradWeight.Slice(g * rows * depth, rows * depth), depth);
            }
        }
    }

    private ReadOnlySpan<float> Lower(ReadOnlySpan<float> image, in ConvolutionLayout layout)
    {
        if (layout.IsPointwise)
        {
            return image;
        }
        Span<float> col = Workspace(layout);
        Im2Col.Run(image, layout.InputChannels, layout.Window, col);
        return col;
    }

    private Span<float> Workspace(in ConvolutionLayout layout)
    {
        if (columns.Length < layout.ColumnSize)
        {
            columns = new float[layout.ColumnSize];
        }
        return columns.AsSpan(0, layout.ColumnSize);
    }
}
