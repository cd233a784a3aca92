using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// The mechanics of a binary element-wise layer with NumPy broadcasting (ONNX's multidirectional
/// broadcasting): shapes are aligned at their last dimension, a missing or size-1 dimension is
/// repeated, any other mismatch is refused with both shapes. The squeeze-excitation product
/// [N, C, H, W]·[N, C, 1, 1] is the case that matters. Work is done a row (the last output
/// dimension) at a time; a broadcast operand's row has step 0. The gradient of a broadcast
/// operand is summed over the positions it was repeated to.
/// </summary>
public abstract class BroadcastLayer : MergeLayer
{
    /// <summary>The inputs of the last forward (references, as activations keep theirs).</summary>
    private protected Tensor? SavedA { get; private set; }

    /// <summary>The second input of the last forward.</summary>
    private protected Tensor? SavedB { get; private set; }

    /// <summary>One row of work: offsets into the output, A and B, the row's length and A's and B's steps (1 or 0).</summary>
    private protected readonly record struct Row(int Output, int A, int B, int Length, int StepA, int StepB);

    /// <inheritdoc/>
    public override Shape OutputShape(IReadOnlyList<Shape> inputShapes)
    {
        ArgumentNullException.ThrowIfNull(inputShapes);
        RequireCount(inputShapes.Count, 2);
        Shape a = inputShapes[0], b = inputShapes[1];
        int rank = Math.Max(a.Rank, b.Rank);
        var output = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            int sa = Size(a, d, rank), sb = Size(b, d, rank);
            output[d] = sa == sb || sb == 1 ? sa : sa == 1 ? sb : throw InputError($"inputs {a} and {b} do not broadcast: dimension {d} is {sa} and {sb}");
        }
        return new Shape(output);
    }

    /// <inheritdoc/>
    public override Tensor Forward(IReadOnlyList<Tensor> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        RequireCount(inputs.Count, 2);
        Tensor a = inputs[0], b = inputs[1];
        Tensor output = NewOutput(OutputShape([a.Shape, b.Shape]), overwritten: true);
        foreach (Row row in Rows(a.Shape, b.Shape, output.Shape))
        {
            Apply(a.Data, b.Data, output.Data, row);
        }
        (SavedA, SavedB) = (a, b);
        return output;
    }

    /// <summary>Writes one output row from A's and B's rows.</summary>
    private protected abstract void Apply(float[] a, float[] b, float[] output, Row row);

    /// <summary>The rows of the output of <paramref name="a"/> and <paramref name="b"/> broadcast to <paramref name="output"/>, in order.</summary>
    private protected static IEnumerable<Row> Rows(Shape a, Shape b, Shape output)
    {
        int rank = output.Rank;
        int[] strideA = Strides(a, rank), strideB = Strides(b, rank);
        int length = rank == 0 ? 1 : output[-1];
        int rows = length == 0 ? 0 : output.Size / length;
        var index = new int[Math.Max(rank - 1, 0)];
        for (int r = 0; r < rows; r++)
        {
            int offA = 0, offB = 0;
            for (int d = 0; d < index.Length; d++)
            {
                offA += index[d] * strideA[d];
                offB += index[d] * strideB[d];
            }
            yield return new Row(r * length, offA, offB, length, rank == 0 ? 0 : strideA[^1], rank == 0 ? 0 : strideB[^1]);
            for (int d = index.Length - 1; d >= 0 && ++index[d] == output[d]; d--)
            {
                index[d] = 0;
            }
        }
    }

    /// <summary>A new gradient of <paramref name="shape"/>: the sum of <paramref name="value"/>(i, row) over the positions each element was broadcast to.</summary>
    private protected static Tensor SumTo(Shape shape, Shape other, Shape output, bool first, Func<Row, int, float> value)
    {
        // New tensors: a graph may hold both gradients at once.
        var grad = new Tensor(shape);
        foreach (Row row in first ? Rows(shape, other, output) : Rows(other, shape, output))
        {
            int offset = first ? row.A : row.B, step = first ? row.StepA : row.StepB;
            for (int i = 0; i < row.Length; i++)
            {
                grad.Data[offset + i * step] += value(row, i);
            }
        }
        return grad;
    }

    private static int Size(Shape s, int d, int rank) => d < rank - s.Rank ? 1 : s[d - (rank - s.Rank)];

    /// <summary>Element strides of <paramref name="s"/> aligned to <paramref name="rank"/> output dimensions, 0 where it is broadcast.</summary>
    private static int[] Strides(Shape s, int rank)
    {
        var strides = new int[rank];
        int stride = 1;
        for (int d = rank - 1; d >= 0; d--)
        {
            int size = Size(s, d, rank);
            strides[d] = size == 1 ? 0 : stride;
            stride *= size;
        }
        return strides;
    }
}
