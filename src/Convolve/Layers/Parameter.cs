using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// A trainable tensor and its gradient. <see cref="Layer.Backward"/> adds into <see cref="Grad"/>;
/// optimizers read it and <see cref="Layer.ZeroGrad"/> clears it.
/// </summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-filled parameter of the given shape with its local name (e.g. <c>weight</c>).</summary>
    public Parameter(string name, Shape shape)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        Value = new Tensor(shape);
        Grad = new Tensor(shape);
    }

    /// <summary>The local name within its layer, as in a PyTorch state dict (<c>weight</c>, <c>bias</c>).</summary>
    public string Name { get; }

    /// <summary>The current values.</summary>
    public Tensor Value { get; }

    /// <summary>The accumulated gradient of the loss with respect to <see cref="Value"/>.</summary>
    public Tensor Grad { get; }

    /// <summary>The shape of the value and of the gradient.</summary>
    public Shape Shape => Value.Shape;

    /// <summary>Copies <paramref name="values"/> into <see cref="Value"/>; the lengths must match.</summary>
    public void Load(ReadOnlySpan<float> values)
    {
        if (values.Length != Value.Size)
        {
            throw new ArgumentException($"parameter '{Name}' of shape {Shape} needs {Value.Size} values but got {values.Length}", nameof(values));
        }
        values.CopyTo(Value.Span);
    }
}
