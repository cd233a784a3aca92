using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Clip, HardSigmoid, Softmax, ReduceMean and Slice nodes as layers (issue 19), each checked
/// against what the layer computes exactly; anything else is refused by attribute.
/// </summary>
internal static class OnnxActivationImport
{
    /// <summary>
    /// Clip with constant (or absent) bounds: Hardtanh, ReLU when it only cuts at zero. Before
    /// operator set 11 (Clip-6) the bounds are attributes whose defaults are ±3.4028235e38 (the
    /// largest floats), read as no bound: the two differ only on an infinite input.
    /// </summary>
    public static Layer Clip(OnnxNodeReader node)
    {
        node.RequireBefore(11, "min", "max");
        float min, max;
        if (node.Opset < 11)
        {
            min = node.Float("min", float.NegativeInfinity);
            max = node.Float("max", float.PositiveInfinity);
            (min, max) = (min == -float.MaxValue ? float.NegativeInfinity : min, max == float.MaxValue ? float.PositiveInfinity : max);
        }
        else
        {
            (min, max) = (Bound(node, 1, float.NegativeInfinity), Bound(node, 2, float.PositiveInfinity));
        }
        return min == 0 && float.IsPositiveInfinity(max) ? new ReLU() : new Hardtanh(min, max);
    }

    /// <summary>HardSigmoid is <c>max(0, min(1, αx + β))</c>: PyTorch's Hardsigmoid only for α = 1/6, β = 1/2.</summary>
    public static Layer HardSigmoid(OnnxNodeReader node)
    {
        float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        node.Require(MathF.Abs(alpha - 1f / 6) < 1e-7f && beta == 0.5f, "alpha/beta", $"{alpha}/{beta}", "only α = 1/6 and β = 1/2 (PyTorch's Hardsigmoid) are imported");
        return new Hardsigmoid();
    }

    /// <summary>
    /// Softmax. From operator set 13 it normalises along one axis (default −1). Before 13 (Softmax-1
    /// and -11, default axis 1) it coerces the input to 2-D, [d0·…·d(axis−1), d(axis)·…·d(last)], and
    /// normalises each row: that is a softmax along one dimension exactly when at most one of the
    /// dimensions from the axis on is larger than 1, and is imported so; otherwise it is refused.
    /// </summary>
    public static Layer Softmax(OnnxNodeReader node, Shape input)
    {
        long axis = node.Int("axis", node.Opset < 13 ? 1 : -1);
        node.Require(axis >= -input.Rank && axis < input.Rank, "axis", axis.ToString(), $"it lies outside input {input}");
        if (node.Opset >= 13)
        {
            return new Softmax((int)axis);
        }
        int start = (int)(axis < 0 ? axis + input.Rank : axis);
        int[] wide = [.. Enumerable.Range(start, input.Rank - start).Where(d => input[d] > 1)];
        node.Require(start >= 1 && wide.Length <= 1, "axis", axis.ToString(),
            $"Softmax before operator set 13 (this model imports {node.Opset}) normalises input {input} over dimensions {start} to {input.Rank - 1} flattened together{(start == 0 ? ", the batch included" : "")}; Convolve's Softmax takes one dimension after the batch");
        return new Softmax(wide.Length == 1 ? wide[0] : input.Rank - 1);
    }

    /// <summary>ReduceMean over the trailing dimensions: axes an attribute before operator set 18, a constant input from 18 on.</summary>
    public static Layer ReduceMean(OnnxNodeReader node, Shape input)
    {
        bool asInput = node.Inputs.Count > 1 && node.Inputs[1].Length > 0;
        node.RequireBefore(18, "axes");
        node.Require(!asInput || node.Opset >= 18, "axes", $"'{(asInput ? node.Inputs[1] : "")}'", $"ReduceMean takes an axes input from operator set 18; this model imports operator set {node.Opset}");
        node.Require(!node.Has("noop_with_empty_axes") || node.Opset >= 18, "noop_with_empty_axes", node.Int("noop_with_empty_axes", 0).ToString(), $"it exists from operator set 18; this model imports operator set {node.Opset}");
        long[] axes = asInput
            ? Int64s(node, 1, "axes")
            : [.. node.Ints("axes", Count(node, "axes"), []).Select(a => (long)a)];
        long[] normal = [.. axes.Select(a => a < 0 ? a + input.Rank : a).Order()];
        int start = normal.Length == 0 ? 0 : (int)normal[0];
        bool trailing = start >= 1 && normal.SequenceEqual(Enumerable.Range(start, input.Rank - start).Select(a => (long)a));
        node.Require(trailing, "axes", $"[{string.Join(", ", axes)}]", $"only a mean over the trailing dimensions after the batch of {input} is imported");
        return new ReduceMean(start, node.Int("keepdims", 1) != 0);
    }

    /// <summary>
    /// A step-1 Slice of one axis after the batch, with constant starts and ends (clamped as ONNX
    /// clamps them): attributes starts, ends and axes before operator set 10 (Slice-1), inputs from 10.
    /// </summary>
    public static Layer Slice(OnnxNodeReader node, Shape input)
    {
        node.RequireBefore(10, "starts", "ends", "axes");
        long[] starts, ends, axes, steps;
        if (node.Opset < 10)
        {
            starts = node.Longs("starts") ?? throw node.Error("attribute 'starts' is missing (Slice before operator set 10 takes it as an attribute)");
            ends = node.Longs("ends") ?? throw node.Error("attribute 'ends' is missing (Slice before operator set 10 takes it as an attribute)");
            axes = node.Longs("axes") ?? [.. Enumerable.Range(0, starts.Length).Select(a => (long)a)];
            steps = [.. starts.Select(_ => 1L)];
        }
        else
        {
            starts = Int64s(node, 1, "starts");
            ends = Int64s(node, 2, "ends");
            axes = node.Inputs.Count > 3 && node.Inputs[3].Length > 0 ? Int64s(node, 3, "axes") : [.. Enumerable.Range(0, starts.Length).Select(a => (long)a)];
            steps = node.Inputs.Count > 4 && node.Inputs[4].Length > 0 ? Int64s(node, 4, "steps") : [.. starts.Select(_ => 1L)];
        }
        node.Require(starts.Length == 1 && ends.Length == 1 && axes.Length == 1 && steps.SequenceEqual([1L]), "starts/ends/axes/steps", $"[{string.Join(", ", starts)}]/[{string.Join(", ", ends)}]/[{string.Join(", ", axes)}]/[{string.Join(", ", steps)}]",
            "only a step-1 slice of one axis is imported");
        int axis = (int)(axes[0] < 0 ? axes[0] + input.Rank : axes[0]);
        node.Require(axis >= 1 && axis < input.Rank, "axes", $"[{axes[0]}]", $"only an axis after the batch of {input} is sliced");
        long size = input[axis];
        long start = Math.Clamp(starts[0] < 0 ? starts[0] + size : starts[0], 0, size), end = Math.Clamp(ends[0] < 0 ? ends[0] + size : ends[0], 0, size);
        node.Require(end > start, "starts/ends", $"[{starts[0]}]/[{ends[0]}]", $"the slice of dimension {axis} ({size}) is empty");
        return new Slice(axis, (int)start, (int)end);
    }

    private static float Bound(OnnxNodeReader node, int index, float fallback)
    {
        if (index >= node.Inputs.Count || node.Inputs[index].Length == 0)
        {
            return fallback;
        }
        OnnxTensor bound = node.Constant(index, index == 1 ? "min" : "max")!;
        return bound.Floats.Length == 1 ? bound.Floats[0] : throw node.Error($"the bound '{bound.Name}' holds {bound.Floats.Length} values; Clip takes one");
    }

    private static long[] Int64s(OnnxNodeReader node, int index, string role) =>
        node.Int64Constant(index, role);

    private static int Count(OnnxNodeReader node, string name) => node.IntsLength(name);
}
