namespace Convolve.Tensors;

/// <summary>
/// A dense, contiguous, row-major float32 array with a <see cref="Shape"/>. Images are
/// <c>[N, C, H, W]</c> (1-d: <c>[N, C, L]</c>, 3-d: <c>[N, C, D, H, W]</c>). There are no hidden
/// copies: <see cref="Reshape(int[])"/> returns a view that shares the same storage.
/// </summary>
public sealed class Tensor
{
    /// <summary>Wraps existing storage. The array's length must equal the shape's size.</summary>
    public Tensor(Shape shape, float[] data)
    {
        ArgumentNullException.ThrowIfNull(shape);
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length != shape.Size)
        {
            throw new ArgumentException(
                $"tensor data has {data.Length} elements but shape {shape} needs {shape.Size}", nameof(data));
        }
        Shape = shape;
        Data = data;
    }

    /// <summary>Allocates a zero-filled tensor.</summary>
    public Tensor(Shape shape) : this(shape, new float[(shape ?? throw new ArgumentNullException(nameof(shape))).Size])
    {
    }

    /// <summary>The shape, outermost dimension first.</summary>
    public Shape Shape { get; }

    /// <summary>The backing storage, row-major; its length is <c>Shape.Size</c>.</summary>
    public float[] Data { get; }

    /// <summary>The elements as a span.</summary>
    public Span<float> Span => Data;

    /// <summary>Number of elements.</summary>
    public int Size => Data.Length;

    /// <summary>Number of dimensions.</summary>
    public int Rank => Shape.Rank;

    /// <summary>A zero-filled tensor of the given dimensions.</summary>
    public static Tensor Zeros(params int[] dimensions) => new(new Shape(dimensions));

    /// <summary>A tensor of the given shape filled with <paramref name="value"/>.</summary>
    public static Tensor Full(Shape shape, float value)
    {
        var tensor = new Tensor(shape);
        tensor.Span.Fill(value);
        return tensor;
    }

    /// <summary>A tensor that takes ownership of <paramref name="data"/> with the given dimensions.</summary>
    public static Tensor FromArray(float[] data, params int[] dimensions) => new(new Shape(dimensions), data);

    /// <summary>Samples every element from N(<paramref name="mean"/>, <paramref name="std"/>²) with a fixed seed.</summary>
    public static Tensor RandomNormal(Shape shape, ulong seed, float mean = 0f, float std = 1f)
    {
        var tensor = new Tensor(shape);
        tensor.FillNormal(new RandomSource(seed), mean, std);
        return tensor;
    }

    /// <summary>Samples every element uniformly from [<paramref name="low"/>, <paramref name="high"/>) with a fixed seed.</summary>
    public static Tensor RandomUniform(Shape shape, ulong seed, float low = 0f, float high = 1f)
    {
        var tensor = new Tensor(shape);
        tensor.FillUniform(new RandomSource(seed), low, high);
        return tensor;
    }

    /// <summary>Fills with normal samples drawn from <paramref name="random"/>.</summary>
    public void FillNormal(RandomSource random, float mean, float std)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < Data.Length; i++)
        {
            Data[i] = (float)(mean + std * random.NextNormal());
        }
    }

    /// <summary>Fills with uniform samples in [low, high) drawn from <paramref name="random"/>.</summary>
    public void FillUniform(RandomSource random, float low, float high)
    {
        ArgumentNullException.ThrowIfNull(random);
        for (int i = 0; i < Data.Length; i++)
        {
            Data[i] = (float)(low + (high - low) * random.NextDouble());
        }
    }

    /// <summary>
    /// A view with new dimensions over the same storage; one dimension may be -1 and is inferred.
    /// </summary>
    public Tensor Reshape(params int[] dimensions)
    {
        ArgumentNullException.ThrowIfNull(dimensions);
        int[] resolved = (int[])dimensions.Clone();
        int inferred = -1;
        int known = 1;
        for (int i = 0; i < resolved.Length; i++)
        {
            if (resolved[i] == -1 && inferred < 0)
            {
                inferred = i;
            }
            else
            {
                known *= resolved[i];
            }
        }
        if (inferred >= 0 && known > 0 && Size % known == 0)
        {
            resolved[inferred] = Size / known;
        }
        var shape = new Shape(resolved);
        if (shape.Size != Size)
        {
            throw new ArgumentException(
                $"cannot reshape {Shape} ({Size} elements) to {Shape.Format(dimensions)}", nameof(dimensions));
        }
        return new Tensor(shape, Data);
    }

    /// <summary>A view with the given shape over the same storage.</summary>
    public Tensor Reshape(Shape shape)
    {
        ArgumentNullException.ThrowIfNull(shape);
        return Reshape(shape.ToArray());
    }

    /// <summary>A deep copy.</summary>
    public Tensor Clone() => new(Shape, (float[])Data.Clone());

    /// <summary>Element access by full multi-index (slow; for tests and small examples).</summary>
    public float this[params int[] index]
    {
        get => Data[Offset(index)];
        set => Data[Offset(index)] = value;
    }

    private int Offset(int[] index)
    {
        if (index.Length != Rank)
        {
            throw new ArgumentException($"index {Shape.Format(index)} has rank {index.Length} but tensor {Shape} has rank {Rank}");
        }
        int offset = 0;
        for (int i = 0; i < index.Length; i++)
        {
            if ((uint)index[i] >= (uint)Shape[i])
            {
                throw new ArgumentOutOfRangeException(nameof(index), $"index {Shape.Format(index)} is outside shape {Shape}");
            }
            offset = offset * Shape[i] + index[i];
        }
        return offset;
    }

    /// <inheritdoc/>
    public override string ToString() => $"Tensor{Shape}";
}
