using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Distributed;

/// <summary>
/// A model's parameter gradients and buffers laid end to end in one float vector, in the order of
/// <see cref="Layer.NamedParameters"/> then <see cref="Layer.NamedBuffers"/>: the unit that shards
/// produce, ranks exchange and the tree adds. Buffers (BatchNorm's running statistics) travel with
/// the gradients so that every rank ends a step with the same statistics.
/// </summary>
internal sealed class GradientLayout
{
    private readonly Parameter[] parameters;
    private readonly Tensor[] buffers;
    private readonly float[] savedBuffers;

    public GradientLayout(Layer model)
    {
        parameters = [.. model.NamedParameters().Select(p => p.Parameter)];
        buffers = [.. model.NamedBuffers().Select(b => b.Buffer)];
        GradientLength = parameters.Sum(p => p.Value.Size);
        BufferLength = buffers.Sum(b => b.Size);
        savedBuffers = new float[BufferLength];
    }

    /// <summary>Floats of all the gradients.</summary>
    public int GradientLength { get; }

    /// <summary>Floats of all the buffers.</summary>
    public int BufferLength { get; }

    /// <summary>Floats of the whole vector.</summary>
    public int Length => GradientLength + BufferLength;

    /// <summary>Copies the gradients, multiplied by <paramref name="weight"/> (skipped when 1), and the buffers into <paramref name="vector"/>.</summary>
    public void Gather(Span<float> vector, float weight)
    {
        int at = 0;
        foreach (var parameter in parameters)
        {
            ReadOnlySpan<float> grad = parameter.Grad.Span;
            Span<float> target = vector.Slice(at, grad.Length);
            grad.CopyTo(target);
            if (weight != 1f)
            {
                for (int i = 0; i < target.Length; i++)
                {
                    target[i] *= weight;
                }
            }
            at += grad.Length;
        }
        foreach (var buffer in buffers)
        {
            buffer.Span.CopyTo(vector.Slice(at, buffer.Size));
            at += buffer.Size;
        }
    }

    /// <summary>
    /// Sets the gradients from a summed vector and each buffer to the mean of the <paramref name="shards"/>
    /// values summed into it (<c>sum / shards</c> in float).
    /// </summary>
    public void Scatter(ReadOnlySpan<float> vector, int shards)
    {
        int at = 0;
        foreach (var parameter in parameters)
        {
            vector.Slice(at, parameter.Value.Size).CopyTo(parameter.Grad.Span);
            at += parameter.Value.Size;
        }
        foreach (var buffer in buffers)
        {
            Span<float> values = buffer.Span;
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = vector[at + i] / shards;
            }
            at += values.Length;
        }
    }

    /// <summary>Keeps the buffers as they are before a step, so that every shard's forward pass starts from them.</summary>
    public void SaveBuffers()
    {
        int at = 0;
        foreach (var buffer in buffers)
        {
            buffer.Span.CopyTo(savedBuffers.AsSpan(at, buffer.Size));
            at += buffer.Size;
        }
    }

    /// <summary>Puts back the buffers kept by <see cref="SaveBuffers"/>.</summary>
    public void RestoreBuffers()
    {
        int at = 0;
        foreach (var buffer in buffers)
        {
            savedBuffers.AsSpan(at, buffer.Size).CopyTo(buffer.Span);
            at += buffer.Size;
        }
    }
}
