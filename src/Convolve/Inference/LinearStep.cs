using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A <see cref="Linear"/> layer, optionally with the ReLU after it, into the step's own buffer from a snapshot of
/// the weights: up to <see cref="MatrixVector.MaxRows"/> rows as dot products over the weight rows (split over the
/// output features), more as the layer does it (every row starts at the bias and GEMM accumulates onto it).
/// </summary>
internal sealed class LinearStep : PlanStep
{
    private readonly float[] weight;
    private readonly float[]? bias;
    private readonly int inFeatures, outFeatures;
    private readonly bool relu;
    private readonly Tensor output;

    public LinearStep(Linear layer, Shape inputShape, bool relu)
        : base(relu ? "Linear + ReLU" : "Linear", layer.OutputShape(inputShape))
    {
        weight = (float[])layer.Weight.Value.Data.Clone();
        bias = (float[]?)layer.Bias?.Value.Data.Clone();
        (inFeatures, outFeatures) = (layer.InFeatures, layer.OutFeatures);
        this.relu = relu;
        output = new Tensor(OutputShape);
    }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        int rows = input.Size / inFeatures;
        if (rows <= MatrixVector.MaxRows)
        {
            MatrixVector.Multiply(input.Span, rows, inFeatures, weight, outFeatures, bias, output.Span);
        }
        else
        {
            Multiply(input, rows);
        }
        if (relu)
        {
            Elementwise.Map(new ElementwiseRelu.Forward(), output.Span, output.Span);
        }
        return output;
    }

    /// <summary>The layer's own way: rows start at the bias and GEMM accumulates onto them.</summary>
    private void Multiply(Tensor input, int rows)
    {
        if (bias is not null)
        {
            for (int r = 0; r < rows; r++)
            {
                bias.CopyTo(output.Span.Slice(r * outFeatures, outFeatures));
            }
        }
        Gemm.Multiply(false, true, rows, outFeatures, inFeatures, 1f, input.Span, inFeatures,
            weight, inFeatures, bias is null ? 0f : 1f, output.Span, outFeatures);
    }
}
