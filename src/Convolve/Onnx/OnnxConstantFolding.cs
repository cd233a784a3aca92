namespace Convolve.Onnx;

/// <summary>
/// Computes ahead the int64 shape arithmetic PyTorch's exporter writes around Reshape, Slice and
/// Split (Shape of a value of known shape, Gather, Unsqueeze, Squeeze, Concat, Cast, Add, Sub, Mul,
/// Div, Slice), and Identity of any constant, so that those nodes' results are constants the layer
/// import can read. A node is folded only when every input is a constant (Shape: when its input's
/// shape is known).
/// </summary>
internal static class OnnxConstantFolding
{
    /// <summary>Folds <paramref name="node"/> into <paramref name="constants"/> when it can be; false when it is not shape arithmetic on constants.</summary>
    public static bool TryFold(OnnxNode node, Dictionary<string, OnnxTensor> constants, Func<string, long[]?> shapeOf, Func<OnnxNode, string, OnnxUnsupportedException> error)
    {
        string[] inputs = [.. node.Inputs.Where(v => v.Length > 0)];
        if (node.Domain is not ("" or "ai.onnx") || node.Outputs.Length == 0)
        {
            return false;
        }
        if (node.OpType == "Shape")
        {
            long[]? shape = inputs.Length == 1 ? shapeOf(inputs[0]) : null;
            if (shape is null)
            {
                return false;
            }
            int start = (int)Attribute(node, "start", 0), end = (int)Attribute(node, "end", shape.Length);
            (start, end) = (Math.Clamp(start < 0 ? start + shape.Length : start, 0, shape.Length), Math.Clamp(end < 0 ? end + shape.Length : end, 0, shape.Length));
            Set(constants, node, [Math.Max(0, end - start)], shape[start..Math.Max(start, end)]);
            return true;
        }
        if (inputs.Length == 0 || !inputs.All(constants.ContainsKey))
        {
            return false;
        }
        OnnxTensor[] t = [.. inputs.Select(v => constants[v])];
        if (node.OpType == "Identity")
        {
            constants[node.Outputs[0]] = t[0] with { Name = node.Outputs[0] };
            return true;
        }
        if (t.Any(x => x.DataType != OnnxFields.Int64) && node.OpType != "Cast")
        {
            return false;
        }
        switch (node.OpType)
        {
            case "Gather":
                long[] data = t[0].Int64s;
                if (t[0].Dims.Length != 1 || Attribute(node, "axis", 0) != 0)
                {
                    throw error(node, "only a Gather from a constant int64 vector along axis 0 is computed ahead");
                }
                long[] picked = [.. t[1].Int64s.Select(i => data[i < 0 ? i + data.Length : i])];
                Set(constants, node, t[1].Dims, picked);
                return true;
            case "Unsqueeze" or "Squeeze":
                Set(constants, node, t[0].Int64s.Length == 1 && node.OpType == "Unsqueeze" ? [1] : t[0].Int64s.Length == 1 ? [] : t[0].Dims, t[0].Int64s);
                return true;
            case "Concat":
                Set(constants, node, [t.Sum(x => x.Int64s.Length)], [.. t.SelectMany(x => x.Int64s)]);
                return true;
            case "Cast":
                if (t[0].DataType != OnnxFields.Int64 || Attribute(node, "to", 0) != OnnxFields.Int64)
                {
                    return false;
                }
                Set(constants, node, t[0].Dims, t[0].Int64s);
                return true;
            case "Add" or "Sub" or "Mul" or "Div":
                return Arithmetic(node, t, constants, error);
            case "Slice":
                long[] values = t[0].Int64s;
                // Before operator set 10 (Slice-1) starts and ends are attributes.
                long[]? first = t.Length >= 3 ? t[1].Int64s : Ints(node, "starts"), last = t.Length >= 3 ? t[2].Int64s : Ints(node, "ends");
                if (t[0].Dims.Length != 1 || first is not [long begin] || last is not [long finish] || (t.Length > 4 && t[4].Int64s.Any(s => s != 1)))
                {
                    throw error(node, "only a step-1 Slice of a constant int64 vector is computed ahead");
                }
                int from = (int)Math.Clamp(begin < 0 ? begin + values.Length : begin, 0, values.Length);
                int to = (int)Math.Clamp(finish < 0 ? finish + values.Length : finish, from, values.Length);
                Set(constants, node, [to - from], values[from..to]);
                return true;
            default:
                return false;
        }
    }

    private static bool Arithmetic(OnnxNode node, OnnxTensor[] t, Dictionary<string, OnnxTensor> constants, Func<OnnxNode, string, OnnxUnsupportedException> error)
    {
        long[] a = t[0].Int64s, b = t[1].Int64s;
        if (a.Length != b.Length && a.Length != 1 && b.Length != 1)
        {
            throw error(node, $"its constant operands of {a.Length} and {b.Length} values do not broadcast");
        }
        int n = Math.Max(a.Length, b.Length);
        var result = new long[n];
        for (int i = 0; i < n; i++)
        {
            long x = a[a.Length == 1 ? 0 : i], y = b[b.Length == 1 ? 0 : i];
            result[i] = node.OpType switch
            {
                "Add" => x + y,
                "Sub" => x - y,
                "Mul" => x * y,
                _ => y != 0 ? x / y : throw error(node, "it divides by zero"),
            };
        }
        Set(constants, node, a.Length >= b.Length ? t[0].Dims : t[1].Dims, result);
        return true;
    }

    private static long[]? Ints(OnnxNode node, string name) =>
        node.Attributes.FirstOrDefault(a => a.Name == name && a.Type == OnnxFields.AttributeInts)?.Ints;

    private static long Attribute(OnnxNode node, string name, long fallback) =>
        node.Attributes.FirstOrDefault(a => a.Name == name && a.Type == OnnxFields.AttributeInt)?.I ?? fallback;

    private static void Set(Dictionary<string, OnnxTensor> constants, OnnxNode node, long[] dims, long[] values) =>
        constants[node.Outputs[0]] = OnnxTensor.FromInt64s(node.Outputs[0], dims, values);
}
