using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// <c>a + b</c> with broadcasting, as ONNX's <c>Add</c> of two computed values: the join of a
/// residual connection inside a <see cref="Graph"/>. Each input's gradient is gradOutput summed
/// over the positions it was broadcast to.
/// </summary>
public sealed class Add : BroadcastLayer
{
    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> BackwardAll(Tensor gradOutput)
    {
        Tensor a = RequireCached(SavedA), b = RequireCached(SavedB);
        RequireGradShape(gradOutput, OutputShape([a.Shape, b.Shape]));
        float[] g = gradOutput.Data;
        return
        [
            SumTo(a.Shape, b.Shape, gradOutput.Shape, first: true, (row, i) => g[row.Output + i]),
            SumTo(b.Shape, a.Shape, gradOutput.Shape, first: false, (row, i) => g[row.Output + i]),
        ];
    }

    /// <inheritdoc/>
    private protected override void Apply(float[] a, float[] b, float[] output, Row row)
    {
        for (int i = 0; i < row.Length; i++)
        {
            output[row.Output + i] = a[row.A + i * row.StepA] + b[row.B + i * row.StepB];
        }
    }
}
