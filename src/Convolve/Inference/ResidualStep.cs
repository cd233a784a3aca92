using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A <see cref="Residual"/> block, optionally with the ReLU after it. The shortcut runs first; when the
/// body ends in a convolution step, that step adds the shortcut (and rectifies) in its output pass,
/// otherwise the block sums the two into a buffer of its own. The sum is body + shortcut, as the layer's.
/// </summary>
internal sealed class ResidualStep : PlanStep
{
    private readonly PlanStep[] body;
    private readonly PlanStep[]? shortcut;
    private readonly IShortcutTarget? fused;
    private readonly bool relu;
    private readonly Tensor? output;

    public ResidualStep(PlanStep[] body, PlanStep[]? shortcut, Shape outputShape, bool relu)
        : base(Describe(body, shortcut, relu), outputShape)
    {
        this.body = body;
        this.shortcut = shortcut;
        this.relu = relu;
        fused = body.Length > 0 && body[^1] is IShortcutTarget { Relu: false, AcceptsShortcut: true } last ? last : null;
        if (fused is not null)
        {
            fused.Relu = relu;
        }
        else
        {
            output = new Tensor(outputShape);
        }
    }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        Tensor shortcutOutput = shortcut is null ? input : RunAll(shortcut, input);
        if (fused is not null)
        {
            fused.Addend = shortcutOutput;
            Tensor result = RunAll(body, input);
            fused.Addend = null;
            return result;
        }
        Tensor bodyOutput = RunAll(body, input);
        bodyOutput.Span.CopyTo(output!.Span);
        ConvolutionStep.AddInto(output.Span, shortcutOutput.Span, relu);
        return output;
    }

    private static string Describe(PlanStep[] body, PlanStep[]? shortcut, bool relu)
    {
        string sum = body.Length > 0 && body[^1] is IShortcutTarget { Relu: false, AcceptsShortcut: true } ? "added in the last convolution" : "added";
        string shortcutText = shortcut is null ? "identity" : string.Join(", ", shortcut.Select(s => s.Description));
        return $"Residual(body: {string.Join(", ", body.Select(s => s.Description))}; shortcut: {shortcutText}; {sum}{(relu ? ", + ReLU" : "")})";
    }
}
