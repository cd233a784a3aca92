using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Clip, HardSigmoid, Softmax, ReduceMean and Slice nodes as layers (issue 19), each checked
/// against what the layer computes exactly; anything else is refused by attribute.
/// </summary>
internal static class OnnxActivationImport
{
    /// <summary>Clip with constant (or absent) bounds: Hardtanh, ReLU when it only cuts at zero.</summary>
    public static Layer Clip(OnnxNodeReader node)
    {
        float min = Bound(node, 1, float.NegativeInfinity), max = Bound(node, 2, float.PositiveInfinity);
        return min == 0 && float.IsPositiveInfinity(max) ? new ReLU() : new Hardtanh(min, max);
    }

    /// <summary>HardSigmoid is <c>max(0, min(1, αx + β))</c>: PyTorch's Hardsigmoid only for α = 1/6, β = 1/2.</summary>
    public static Layer HardSigmoid(OnnxNodeReader node)
    {
        float alpha = node.Float("alpha", 0.2f), beta = node.Float("beta", 0.5f);
        node.Require(MathF.Abs(alpha - 1f / 6) < 1e-7f && beta == 0.5f, "alpha/beta", $"{alpha}/{beta}", "only α = 1/6 and β = 1/2 (PyTorch's Hardsigmoid) are imported");
        return new Hardsigmoid();
    }

    /// <summary>Softmax along one axis (opset 13 and later: the axis alone, not the flattened trailing dimensions).</summary>
    public static Layer Softmax(OnnxNodeReader node, Shape input)
    {
        long axis = node.Int("axis", -1);
        node.Require(axis >= -input.Rank && axis < input.Rank, "axis", axis.ToString(), $"it lies outside input {input}");
        return new Softmax((int)axis);
    }

    /// <summary>ReduceMean over the trailing dimensions (axes as an attribute, or as a constant input from opset 18).</summary>
    public static Layer ReduceMean(OnnxNodeReader node, Shape input)
    {
        long[] axes = node.Inputs.Count > 1 && node.Inputs[1].Length > 0
            ? Int64s(node, 1, "axes")
            : [.. node.Ints("axes", Count(node, "axes"), []).Select(a => (long)a)];
        long[] normal = [.. axes.Select(a => a < 0 ? a + input.Rank : a).Order()];
        int start = normal.Length == 0 ? 0 : (int)normal[0];
        bool trailing = start >= 1 && normal.SequenceEqual(Enumerable.Range(start, input.Rank - start).Select(a => (long)a));
        node.Require(trailing, "axes", $"[{string.Join(", ", axes)}]", $"only a mean over the trailing dimensions after the batch of {input} is imported");
        return new ReduceMean(start, node.Int("keepdims", 1) != 0);
    }

    /// <summary>A step-1 Slice of one axis after the batch, with constant starts and ends (clamped as ONNX clamps them).</summary>
    public static Layer Slice(OnnxNodeReader node, Shape input)
    {
        long[] starts = Int64s(node, 1, "starts"), ends = Int64s(node, 2, "ends");
        long[] axes = node.Inputs.Count > 3 && node.Inputs[3].Length > 0 ? Int64s(node, 3, "axes") : [.. Enumerable.Range(0, starts.Length).Select(a => (long)a)];
        long[] steps = node.Inputs.Count > 4 && node.Inputs[4].Length > 0 ? Int64s(node, 4, "steps") : [.. starts.Select(_ => 1L)];
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
