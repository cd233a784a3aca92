using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Diagnostics;

/// <summary>
/// A network's shapes, sizes and costs for one input shape, without running it: one row per leaf
/// layer (and one for each residual block's addition, after its branches), and the totals.
/// FLOPs are floating-point operations of the forward pass for the whole batch, counted as:
/// convolution, transposed convolution and linear layers 2 per multiply-add (a multiplication and
/// an addition) plus 1 per output element for the bias; pooling 1 per window element of every
/// output (the full kernel window, padding included); adaptive average pooling 1 per element of
/// every bin; activations, batch normalisation, dropout and the residual addition 1 per output
/// element; Flatten 0 (a view). Layers defined outside the library count 0. Workspace is the
/// im2col column buffer a convolution lowers one image into, <c>4·C_in·K·OutPlane</c> bytes
/// (for a transposed convolution <c>4·C_out·K·InPlane</c>, its adjoint's), and 0 for a pointwise
/// (1×1, stride 1, unpadded) convolution, which multiplies the image in place.
/// </summary>
public sealed class ModelSummary
{
    private ModelSummary(Shape inputShape, Shape outputShape, List<ModelSummaryRow> rows, long trainable, long buffers)
    {
        InputShape = inputShape;
        OutputShape = outputShape;
        Rows = rows;
        TrainableParameters = trainable;
        Parameters = trainable + buffers;
        Flops = rows.Sum(r => r.Flops);
        ActivationBytes = rows.Sum(r => r.ActivationBytes);
        WorkspaceBytes = rows.Sum(r => r.WorkspaceBytes);
    }

    /// <summary>The summarised input shape, batch included.</summary>
    public Shape InputShape { get; }

    /// <summary>The model's output shape for <see cref="InputShape"/>.</summary>
    public Shape OutputShape { get; }

    /// <summary>The leaf layers in forward order, each residual addition after its branches.</summary>
    public IReadOnlyList<ModelSummaryRow> Rows { get; }

    /// <summary>Trainable and non-trainable state elements together (as Keras counts "total params"): what a checkpoint stores.</summary>
    public long Parameters { get; }

    /// <summary>Elements of the trainable parameters: PyTorch's <c>sum(p.numel() for p in model.parameters())</c>.</summary>
    public long TrainableParameters { get; }

    /// <summary>Floating-point operations of one forward pass over the whole batch.</summary>
    public long Flops { get; }

    /// <summary>Bytes of all layer outputs for the batch (float32), as a training forward pass keeps them for backward.</summary>
    public long ActivationBytes { get; }

    /// <summary>Bytes of <see cref="Parameters"/> in float32.</summary>
    public long ParameterBytes => sizeof(float) * Parameters;

    /// <summary>Bytes of every convolution's column buffer (each layer keeps its own).</summary>
    public long WorkspaceBytes { get; }

    /// <summary>Summarises <paramref name="model"/> for an input of <paramref name="inputShape"/>.</summary>
    /// <exception cref="ArgumentException">Some layer refuses the shape it would receive; the message names the layer's path.</exception>
    public static ModelSummary Of(Layer model, Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        var rows = new List<ModelSummaryRow>();
        Shape outputShape = Visit(model, "", inputShape, rows);
        long trainable = model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size);
        long buffers = model.NamedBuffers().Sum(b => (long)b.Buffer.Size);
        return new ModelSummary(inputShape, outputShape, rows, trainable, buffers);
    }

    /// <summary>A table of the rows and the totals, for the terminal.</summary>
    public override string ToString() => ModelSummaryTable.Format(this);

    private static Shape Visit(Layer layer, string path, Shape input, List<ModelSummaryRow> rows)
    {
        switch (layer)
        {
            case Sequential sequential:
                Shape shape = input;
                for (int i = 0; i < sequential.Count; i++)
                {
                    shape = Visit(sequential[i], Child(path, i.ToString()), shape, rows);
                }
                return shape;
            case Residual residual:
                Visit(residual.Body, Child(path, "body"), input, rows);
                if (residual.Shortcut is not null)
                {
                    Visit(residual.Shortcut, Child(path, "shortcut"), input, rows);
                }
                Shape sum = OutputShapeOf(residual, path, input);
                rows.Add(new ModelSummaryRow(path, nameof(Residual), sum, 0, 0, sum.Size, sizeof(float) * (long)sum.Size, 0));
                return sum;
            case Graph graph:
                return VisitGraph(graph, path, input, rows);
            default:
                Shape output = OutputShapeOf(layer, path, input);
                rows.Add(Leaf(layer, path, input, output));
                return output;
        }
    }

    /// <summary>A graph's nodes in the order they run, each under its name (a merge layer as a leaf on its first input's shape).</summary>
    private static Shape VisitGraph(Graph graph, string path, Shape input, List<ModelSummaryRow> rows)
    {
        Shape[] shapes;
        try
        {
            shapes = graph.NodeShapes(input);
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"ModelSummary: layer \"{path}\" (Graph) cannot take input {input}: {ex.Message}", nameof(input), ex);
        }
        var values = new Dictionary<string, Shape>(StringComparer.Ordinal) { [graph.Input] = input };
        for (int i = 0; i < graph.Nodes.Count; i++)
        {
            GraphNode node = graph.Nodes[i];
            string nodePath = Child(path, node.Name);
            Shape read = values[node.Inputs[0]];
            if (node.Layer is MergeLayer)
            {
                rows.Add(Leaf(node.Layer, nodePath, read, shapes[i]));
            }
            else
            {
                Visit(node.Layer, nodePath, read, rows);
            }
            values[node.Name] = shapes[i];
        }
        return values[graph.Output];
    }

    private static ModelSummaryRow Leaf(Layer layer, string path, Shape input, Shape output) => new(
        path,
        layer.GetType().Name,
        output,
        layer.NamedParameters().Sum(p => (long)p.Parameter.Value.Size),
        layer.NamedBuffers().Sum(b => (long)b.Buffer.Size),
        LayerCost.Flops(layer, input, output),
        layer is Flatten ? 0 : sizeof(float) * (long)output.Size,
        LayerCost.WorkspaceBytes(layer, input, output),
        LayerCost.Algorithm(layer, input));

    private static Shape OutputShapeOf(Layer layer, string path, Shape input)
    {
        try
        {
            return layer.OutputShape(input);
        }
        catch (ArgumentException ex)
        {
            string where = path.Length == 0 ? "the model" : $"layer \"{path}\"";
            throw new ArgumentException($"ModelSummary: {where} ({layer.GetType().Name}) cannot take input {input}: {ex.Message}", nameof(input), ex);
        }
    }

    private static string Child(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}
