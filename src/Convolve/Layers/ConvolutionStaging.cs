using System.Numerics;
using System.Runtime.InteropServices;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Moves a chunk's data between the batch and the matrices its GEMMs use
/// (<see cref="ConvolutionPasses"/>): im2col lowering and col2im raising, images in parallel, and
/// the in-place shortcuts where the batch already has the matrix's layout (one image's NCHW
/// output is its <c>[C_out, P]</c> product matrix; a pointwise convolution's image is its own
/// column matrix).
/// </summary>
internal static class ConvolutionStaging
{
    /// <summary><c>target += addend</c> element by element (the order of the sum over chunks is the caller's).</summary>
    public static void AddInPlace(Span<float> target, ReadOnlySpan<float> addend)
    {
        Span<Vector<float>> wide = MemoryMarshal.Cast<float, Vector<float>>(target);
        ReadOnlySpan<Vector<float>> wideAddend = MemoryMarshal.Cast<float, Vector<float>>(addend);
        for (int i = 0; i < wide.Length; i++)
        {
            wide[i] += wideAddend[i];
        }
        for (int i = wide.Length * Vector<float>.Count; i < target.Length; i++)
        {
            target[i] += addend[i];
        }
    }

    /// <summary>The chunk's column matrix: the image itself for one image of a pointwise convolution, else lowered into the workspace.</summary>
    public static ReadOnlySpan<float> Columns(float[] input, in ConvolutionChunk chunk, ConvolutionWorkspace workspace)
    {
        if (chunk.Count == 1 && chunk.Layout.IsPointwise)
        {
            return chunk.Inputs(input);
        }
        Lower(input, chunk, workspace);
        return workspace.Columns.AsSpan(0, chunk.ColumnRows * chunk.Width);
    }

    /// <summary>The chunk's <c>[C_out, width]</c> output gradients: one image's NCHW slice as it is, else gathered into the workspace.</summary>
    public static ReadOnlySpan<float> Products(float[] gradOutput, in ConvolutionChunk chunk, ConvolutionWorkspace workspace)
    {
        if (chunk.Count == 1)
        {
            return chunk.Outputs(gradOutput);
        }
        workspace.Reserve(chunk);
        chunk.GatherProducts(gradOutput, workspace.Products, chunk.Layout.OutputChannels);
        return workspace.Products.AsSpan(0, chunk.Layout.OutputChannels * chunk.Width);
    }

    /// <summary>Lowers every image of the chunk into its columns of the workspace, images in parallel.</summary>
    public static void Lower(float[] input, in ConvolutionChunk chunk, ConvolutionWorkspace workspace)
    {
        workspace.Reserve(chunk);
        ConvolutionChunk local = chunk;
        float[] target = workspace.Columns;
        ConvolutionChunk.ForEachImage(chunk.Count, (long)chunk.ColumnRows * chunk.Layout.Window.OutputPlane, i =>
        {
            ConvolutionLayout layout = local.Layout;
            Im2Col.Run(
                input.AsSpan((local.First + i) * layout.InputImage, layout.InputImage), layout.InputChannels, layout.Window,
                target.AsSpan(i * layout.Window.OutputPlane, local.ColumnSpan), local.Width);
        });
    }

    /// <summary>Overwrites every image of the chunk with the col2im of its columns, images in parallel.</summary>
    public static void Raise(float[] gradInput, in ConvolutionChunk chunk, ConvolutionWorkspace workspace)
    {
        ConvolutionChunk local = chunk;
        float[] source = workspace.Columns;
        ConvolutionChunk.ForEachImage(chunk.Count, (long)chunk.ColumnRows * chunk.Layout.Window.OutputPlane, i =>
        {
            ConvolutionLayout layout = local.Layout;
            Span<float> image = gradInput.AsSpan((local.First + i) * layout.InputImage, layout.InputImage);
            image.Clear();
            Col2ImAdd.Run(source.AsSpan(i * layout.Window.OutputPlane, local.ColumnSpan), local.Width, layout.InputChannels, layout.Window, image);
        });
    }
}
