using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// <c>a · b</c> element-wise with broadcasting, as ONNX's <c>Mul</c> of two computed values:
/// squeeze-excitation's channel gate [N, C, H, W]·[N, C, 1, 1] and <c>x·σ(x)</c> written out.
/// Gradients: <c>gradOutput·b</c> for a and <c>gradOutput·a</c> for b, each summed over the
/// positions its input was broadcast to.
/// </summary>
public sealed class Mul : BroadcastLayer
{
    /// <inheritdoc/>
    public override IReadOnlyList<Tensor> BackwardAll(Tensor gradOutput)
    {
        Tensor a = RequireCached(SavedA), b = RequireCached(SavedB);
        RequireGradShape(gradOutput, OutputShape([a.Shape, b.Shape]));
        float[] g = gradOutput.Data, x = a.Data, y = b.Data;
        return
        [
            SumTo(a.Shape, b.Shape, gradOutput.Shape, first: true, (row, i) => g[row.Output + i] * y[row.B + i * row.StepB]),
            SumTo(b.Shape, a.Shape, gradOutput.Shape, first: false, (row, i) => g[row.Output + i] * x[row.A + i * row.StepA]),
        ];
    }

    /// <inheritdoc/>
    private protected override void Apply(float[] a, float[] b, float[] output, Row row)
    {
        for (int i = 0; i < row.Length; i++)
        {
            output[row.Output + i] = a[row.A + i * row.StepA] * b[row.B + i * row.StepB];
        }
    }
}
