using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// One stage of a network with an explicit forward and backward pass.
/// <see cref="Forward"/> computes the output and caches what backward needs (in evaluation mode too,
/// as PyTorch, so a frozen model can be differentiated; convolutions still only in training mode);
/// <see cref="Backward"/> adds into each <see cref="Parameter.Grad"/> and returns the gradient
/// with respect to the input. <see cref="OutputShape"/> validates an input shape without allocating.
/// </summary>
public abstract class Layer
{
    private readonly List<Parameter> parameters = [];
    private readonly List<(string Name, Tensor Value)> buffers = [];
    private readonly ReusedBuffers<Tensor> reusableOutputs = new(shape => new Tensor(shape), tensor => tensor.Shape);
    private readonly ReusedBuffers<Tensor> reusableGradInputs = new(shape => new Tensor(shape), tensor => tensor.Shape);

    /// <summary>True in training mode (the default), false in evaluation mode.</summary>
    public bool IsTraining { get; private set; } = true;

    /// <summary>The layer's own trainable parameters, in registration order.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>The name used in messages and summaries, e.g. <c>Conv2d</c>.</summary>
    public virtual string Name => GetType().Name;

    /// <summary>The output shape for <paramref name="inputShape"/>; throws <see cref="ArgumentException"/> if the input is invalid.</summary>
    public abstract Shape OutputShape(Shape inputShape);

    /// <summary>Computes the output for <paramref name="input"/>.</summary>
    public abstract Tensor Forward(Tensor input);

    /// <summary>Adds parameter gradients and returns the gradient with respect to the last input.</summary>
    public abstract Tensor Backward(Tensor gradOutput);

    /// <summary>
    /// Adds the parameter gradients of <see cref="Backward"/> without computing the input
    /// gradient, for a network's first layer, whose input gradient nothing consumes. Layers with
    /// an expensive input gradient (convolution, linear) override this; the default runs
    /// <see cref="Backward"/> and drops its result.
    /// </summary>
    public virtual void BackwardParametersOnly(Tensor gradOutput) => Backward(gradOutput);

    /// <summary>Switches to training mode (and all children).</summary>
    public void Train() => SetTraining(true);

    /// <summary>Switches to evaluation mode (and all children).</summary>
    public void Eval() => SetTraining(false);

    /// <summary>
    /// Whether <see cref="Forward"/> and <see cref="Backward"/> write into this layer's previous
    /// result tensors of the same shape (the last few shapes are kept, see ReusedBuffers), instead of allocating new ones. Off by default
    /// (every call returns a new tensor, as in PyTorch). When on, a returned tensor is valid only
    /// until the same method of the same layer runs again: the trainer turns
    /// it on during training, where each output is consumed before the next step, so that a
    /// training epoch allocates no multi-megabyte activations (which otherwise live one step, get
    /// promoted and cost gen-2 collections and page faults).
    /// </summary>
    public bool ReuseBuffers { get; private set; }

    /// <summary>Sets <see cref="ReuseBuffers"/>; containers override this to reach their children.</summary>
    public virtual void SetReuseBuffers(bool reuse)
    {
        ReuseBuffers = reuse;
        if (!reuse)
        {
            reusableOutputs.Clear();
            reusableGradInputs.Clear();
        }
    }

    /// <summary>A tensor for a forward result: new, or a kept one when <see cref="ReuseBuffers"/> is on; zero-filled unless <paramref name="overwritten"/> says the caller writes every element.</summary>
    protected Tensor NewOutput(Shape shape, bool overwritten = false) => Reusable(reusableOutputs, shape, overwritten);

    /// <summary>A tensor for a backward result: new, or a kept one when <see cref="ReuseBuffers"/> is on; zero-filled unless <paramref name="overwritten"/> says the caller writes every element.</summary>
    protected Tensor NewGradInput(Shape shape, bool overwritten = false) => Reusable(reusableGradInputs, shape, overwritten);

    private Tensor Reusable(ReusedBuffers<Tensor> kept, Shape shape, bool overwritten)
    {
        if (!ReuseBuffers)
        {
            return new Tensor(shape);
        }
        Tensor result = kept.Get(shape, out bool reused);
        if (reused && !overwritten)
        {
            result.Span.Clear();
        }
        return result;
    }

    /// <summary>Sets the mode; containers override this to reach their children.</summary>
    public virtual void SetTraining(bool training) => IsTraining = training;

    /// <summary>All parameters with PyTorch state-dict names (<c>weight</c>, <c>0.bias</c>).</summary>
    public virtual IEnumerable<(string Name, Parameter Parameter)> NamedParameters()
    {
        foreach (var p in parameters)
        {
            yield return (p.Name, p);
        }
    }

    /// <summary>
    /// Non-trainable state saved with the model (BatchNorm's running statistics), with PyTorch
    /// state-dict names (<c>running_mean</c>, <c>1.running_var</c>).
    /// </summary>
    public virtual IEnumerable<(string Name, Tensor Buffer)> NamedBuffers()
    {
        foreach (var b in buffers)
        {
            yield return b;
        }
    }

    /// <summary>Clears the gradients of every parameter (children included).</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters())
        {
            p.Grad.Span.Clear();
        }
    }

    /// <summary>Registers a new zero-filled parameter.</summary>
    protected Parameter AddParameter(string name, Shape shape)
    {
        var p = new Parameter(name, shape);
        parameters.Add(p);
        return p;
    }

    /// <summary>Registers a non-trainable state tensor filled with <paramref name="initialValue"/>.</summary>
    protected Tensor AddBuffer(string name, Shape shape, float initialValue = 0f)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var buffer = Tensor.Full(shape, initialValue);
        buffers.Add((name, buffer));
        return buffer;
    }

    /// <summary>Returns the value cached by the last forward, or explains that there is none.</summary>
    protected T RequireCached<T>(T? cached) where T : class =>
        cached ?? throw new InvalidOperationException($"{Name}.Backward needs a preceding Forward in training mode");

    /// <summary>Checks that a gradient has the shape of the output it belongs to.</summary>
    protected void RequireGradShape(Tensor gradOutput, Shape expected)
    {
        ArgumentNullException.ThrowIfNull(gradOutput);
        if (gradOutput.Shape != expected)
        {
            throw new ArgumentException($"{Name}.Backward expected gradOutput {expected} but got {gradOutput.Shape}", nameof(gradOutput));
        }
    }

    /// <summary>Throws an input error that names the layer.</summary>
    protected ArgumentException InputError(string message) => new($"{Name}: {message}", "input");
}
