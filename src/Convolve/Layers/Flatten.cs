using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Merges the dimensions <c>startDim..endDim</c> (inclusive; negative values count from the end)
/// into one, as <c>torch.nn.Flatten</c>. The output is a view of the input (no copy), and the
/// gradient is a view of gradOutput with the input's shape.
/// </summary>
public sealed class Flatten : Layer
{
    private Shape? savedInputShape;

    /// <summary>Creates the layer; PyTorch's defaults keep the batch dimension and flatten the rest.</summary>
    /// <param name="startDim">First dimension to flatten.</param>
    /// <param name="endDim">Last dimension to flatten (inclusive).</param>
    public Flatten(int startDim = 1, int endDim = -1)
    {
        // With equal signs the order is known for every rank; mixed signs are checked per input.
        if ((startDim < 0) == (endDim < 0) && startDim > endDim)
        {
            throw new ArgumentException($"Flatten: startDim ({startDim}) must not come after endDim ({endDim})", nameof(startDim));
        }
        StartDim = startDim;
        EndDim = endDim;
    }

    /// <summary>First dimension to flatten, as given.</summary>
    public int StartDim { get; }

    /// <summary>Last dimension to flatten (inclusive), as given.</summary>
    public int EndDim { get; }

    /// <summary>Shape [d0, …, d_start, …, d_end, …] → [d0, …, d_start·…·d_end, …].</summary>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        // PyTorch treats a 0-d tensor as having the one dimension 0 (or -1) here; it flattens to [1].
        int rank = Math.Max(inputShape.Rank, 1);
        int start = Wrap(StartDim, rank, "startDim", inputShape);
        int end = Wrap(EndDim, rank, "endDim", inputShape);
        if (start > end)
        {
            throw InputError($"startDim ({StartDim}) must not come after endDim ({EndDim}) but for input {inputShape} they are dims {start} and {end}");
        }
        if (inputShape.Rank == 0)
        {
            return new Shape(1);
        }
        var dimensions = new int[rank - (end - start)];
        int merged = 1;
        for (int d = 0; d < rank; d++)
        {
            if (d < start || d > end)
            {
                dimensions[d < start ? d : d - (end - start)] = inputShape[d];
            }
            else
            {
                merged *= inputShape[d];
            }
        }
        dimensions[start] = merged;
        return new Shape(dimensions);
    }

    /// <summary>Flattens <c>startDim..endDim</c>; returns a view sharing the input's storage.</summary>
    public override Tensor Forward(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        Tensor output = input.Reshape(OutputShape(input.Shape));
        savedInputShape = input.Shape;
        return output;
    }

    /// <summary>Restores the input's shape; returns a view sharing gradOutput's storage.</summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        Shape inputShape = RequireCached(savedInputShape);
        RequireGradShape(gradOutput, OutputShape(inputShape));
        return gradOutput.Reshape(inputShape);
    }

    private int Wrap(int dim, int rank, string name, Shape inputShape)
    {
        if (dim < -rank || dim >= rank)
        {
            throw InputError($"{name} ({dim}) must be in [{-rank}, {rank - 1}] for input {inputShape} of rank {inputShape.Rank}");
        }
        return dim < 0 ? dim + rank : dim;
    }
}
