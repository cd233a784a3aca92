using System.Runtime.CompilerServices;

namespace Convolve.Kernels;

/// <summary>
/// Max unpooling: puts each value back at the position its switch names within its (n, c)
/// plane, the adjoint of gathering by the switches. Indices are flat positions within an output
/// plane of <c>outputPlane</c> elements and must already be validated to lie in
/// <c>[0, outputPlane)</c>.
/// </summary>
public static class PoolingMaxUnpool
{
    /// <summary>
    /// Writes <c>output[plane, indices[i]] = input[plane, i]</c> in order (when two switches name
    /// the same position the later one wins, as PyTorch's CPU loop); other positions keep their
    /// value, so the caller passes a zero-filled output. Shapes: input and indices
    /// <c>[planes, inputPlane]</c>, output <c>[planes, outputPlane]</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Forward(ReadOnlySpan<float> input, ReadOnlySpan<int> indices, Span<float> output, int planes, int inputPlane, int outputPlane)
    {
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> inputRow = input.Slice(plane * inputPlane, inputPlane);
            ReadOnlySpan<int> indexRow = indices.Slice(plane * inputPlane, inputPlane);
            Span<float> outputRow = output.Slice(plane * outputPlane, outputPlane);
            for (int i = 0; i < inputPlane; i++)
            {
                outputRow[indexRow[i]] = inputRow[i];
            }
        }
    }

    /// <summary>
    /// Gathers <c>gradInput[plane, i] = gradOutput[plane, indices[i]]</c>. Shapes as in <see cref="Forward"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Backward(ReadOnlySpan<float> gradOutput, ReadOnlySpan<int> indices, Span<float> gradInput, int planes, int inputPlane, int outputPlane)
    {
        for (int plane = 0; plane < planes; plane++)
        {
            ReadOnlySpan<float> gradOutputRow = gradOutput.Slice(plane * outputPlane, outputPlane);
            ReadOnlySpan<int> indexRow = indices.Slice(plane * inputPlane, inputPlane);
            Span<float> gradInputRow = gradInput.Slice(plane * inputPlane, inputPlane);
            for (int i = 0; i < inputPlane; i++)
            {
                gradInputRow[i] = gradOutputRow[indexRow[i]];
            }
        }
    }
}
