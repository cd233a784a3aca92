using Convolve.Kernels;
using System.Runtime.CompilerServices;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// A residual block (He et al. 2016): <c>output = body(x) + shortcut(x)</c>, the shortcut being the
/// identity when none is given. Both paths see the same input and must produce the same shape;
/// backward sends gradOutput down both and sums what comes back. Parameters and buffers are named
/// as PyTorch names a module with attributes <c>body</c> and <c>shortcut</c>: <c>body.weight</c>,
/// <c>shortcut.0.weight</c>.
/// </summary>
public sealed class Residual : Layer
{
    private Shape? cachedOutputShape;

    /// <summary>Creates the block from its body and an optional shortcut (null = identity).</summary>
    /// <exception cref="ArgumentException">body and shortcut are the same layer instance, whose single forward cache cannot serve two paths.</exception>
    public Residual(Layer body, Layer? shortcut = null)
    {
        ArgumentNullException.ThrowIfNull(body);
        if (ReferenceEquals(body, shortcut))
        {
            throw new ArgumentException($"Residual: body and shortcut must be different layer instances but both are the same {body.Name}", nameof(shortcut));
        }
        Body = body;
        Shortcut = shortcut;
    }

    /// <summary>The residual branch f in <c>f(x) + shortcut(x)</c>.</summary>
    public Layer Body { get; }

    /// <summary>The shortcut branch; null means the identity.</summary>
    public Layer? Shortcut { get; }

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        Shape bodyShape = Body.OutputShape(inputShape);
        Shape shortcutShape = Shortcut?.OutputShape(inputShape) ?? inputShape;
        if (bodyShape != shortcutShape)
        {
            string shortcutName = Shortcut is null ? "identity shortcut" : $"shortcut ({Shortcut.Name})";
            throw InputError($"body ({Body.Name}) output {bodyShape} and {shortcutName} output {shortcutShape} must have the same shape, for input {inputShape}");
        }
        return bodyShape;
    }

    /// <summary><c>body(x) + shortcut(x)</c> into a new tensor.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Shape outputShape = OutputShape(input.Shape);
        long start = LayerTiming.Start();
        Tensor bodyOutput = Body.Forward(input);
        LayerTiming.Stop(Body, false, start);
        start = LayerTiming.Start();
        Tensor shortcutOutput = Shortcut?.Forward(input) ?? input;
        if (Shortcut is not null)
        {
            LayerTiming.Stop(Shortcut, false, start);
        }
        cachedOutputShape = outputShape;
        return Sum(NewOutput(outputShape, overwritten: true), bodyOutput, shortcutOutput);
    }

    /// <summary>Runs both paths backward and returns the sum of their input gradients.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        RequireGradShape(gradOutput, RequireCached(cachedOutputShape));
        long start = LayerTiming.Start();
        Tensor bodyGrad = Body.Backward(gradOutput);
        LayerTiming.Stop(Body, true, start);
        start = LayerTiming.Start();
        Tensor shortcutGrad = Shortcut?.Backward(gradOutput) ?? gradOutput;
        if (Shortcut is not null)
        {
            LayerTiming.Stop(Shortcut, true, start);
        }
        return Sum(NewGradInput(bodyGrad.Shape, overwritten: true), bodyGrad, shortcutGrad);
    }

    /// <summary>Sets this block's mode and both children's.</summary>
    public override void SetTraining(bool training)
    {
        base.SetTraining(training);
        Body.SetTraining(training);
        Shortcut?.SetTraining(training);
    }

    /// <summary>Sets buffer reuse for this block and both paths.</summary>
    public override void SetReuseBuffers(bool reuse)
    {
        base.SetReuseBuffers(reuse);
        Body.SetReuseBuffers(reuse);
        Shortcut?.SetReuseBuffers(reuse);
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var (name, parameter) in Body.NamedParameters())
        {
            yield return ("body." + name, parameter);
        }
        foreach (var (name, parameter) in Shortcut?.NamedParameters() ?? [])
        {
            yield return ("shortcut." + name, parameter);
        }
    }

    /// <inheritdoc/>
    public override IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var (name, buffer) in Body.NamedBuffers())
        {
            yield return ("body." + name, buffer);
        }
        foreach (var (name, buffer) in Shortcut?.NamedBuffers() ?? [])
        {
            yield return ("shortcut." + name, buffer);
        }
    }

    /// <summary>Writes <c>a + b</c> into this block's own result tensor; the children's tensors may be views of the caller's, so neither is written.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static Tensor Sum(Tensor sum, Tensor a, Tensor b)
    {
        Elementwise.Map(new ElementwiseAdd(), a.Span, b.Span, sum.Span);
        return sum;
    }
}
