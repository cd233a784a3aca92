using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Onnx;

/// <summary>
/// Gemm, MatMul (with its bias Add), BatchNormalization, Flatten and Reshape nodes as Convolve
/// layers. Weights are checked against the input's size before any layer is built, so a file
/// cannot make the importer allocate more than it holds.
/// </summary>
internal static class OnnxDenseImport
{
    /// <summary>
    /// Gemm: <c>Y = alpha·A'·B' + beta·C</c> with A the computed input [M, K] (M the batch), B a
    /// constant, A' = A (transA 0) and B' = B or Bᵀ (transB). alpha scales the weight and beta the
    /// bias. C may be anything that broadcasts to [M, N]: one value, [N], [1, N], or [M, 1] / [M, N]
    /// whose M rows are equal (one bias for every sample, whatever the batch). transA 1 is imported
    /// when A is a Transpose (perm 1, 0) of the [M, K] value (<paramref name="transposedInput"/>: the
    /// graph import reads the value itself); on any other A it contracts over the batch, and a C whose
    /// rows differ gives each sample of a batch its own bias: neither is a layer, and both are refused.
    /// </summary>
    public static Layer Gemm(OnnxNodeReader node, Shape input, bool transposedInput = false)
    {
        long transA = node.Int("transA", 0);
        node.Require(transA == 0 || transposedInput, "transA", transA.ToString(), "A' = Aᵀ sums over the input's first dimension, the batch, which mixes the samples: no layer computes it (unless A is a Transpose, perm 1, 0, of a [batch, features] value that only this Gemm reads)");
        if (node.IsConstant(0))
        {
            throw node.Error($"its input A '{node.Inputs[0]}' is a constant and B '{node.Inputs[1]}' is computed; only A·(constant B) is a linear layer");
        }
        bool transB = node.Int("transB", 0) != 0;
        float alpha = node.Float("alpha", 1), beta = node.Float("beta", 1);
        OnnxTensor b = node.Constant(1, "weight")!;
        if (input.Rank != 2 || b.Dims.Length != 2 || b.Dims[transB ? 1 : 0] != input[1])
        {
            throw node.Error($"the weight [{string.Join(", ", b.Dims)}]{(transB ? "ᵀ" : "")} does not multiply the input {input}");
        }
        int outFeatures = (int)b.Dims[transB ? 0 : 1];
        float[] weight = transB ? b.Floats : TensorBytes.Transpose(b.Floats, input[1], outFeatures);
        // Before operator set 11, C is required; beta 0 (or no C) leaves no bias.
        OnnxTensor? c = node.Constant(2, "bias", optional: true);
        float[]? bias = c is null || beta == 0 ? null : GemmBias(node, c, outFeatures).Select(v => beta * v).ToArray();
        return Linear(node, input[1], outFeatures, alpha == 1 ? weight : weight.Select(w => alpha * w).ToArray(), bias);
    }

    /// <summary>MatMul by a constant [in, out], with the constant bias of the Add that follows it, if any.</summary>
    public static Layer MatMul(OnnxNodeReader node, Shape input, OnnxNodeReader? biasNode, OnnxTensor? bias)
    {
        OnnxTensor b = node.Constant(1, "weight")!;
        if (input.Rank < 2 || b.Dims.Length != 2 || b.Dims[0] != input[-1])
        {
            throw node.Error($"the weight [{string.Join(", ", b.Dims)}] does not multiply the input {input} from the right");
        }
        int outFeatures = (int)b.Dims[1];
        float[]? biasValues = bias is null ? null : BiasOf(biasNode!, bias, outFeatures);
        return Linear(node, input[-1], outFeatures, TensorBytes.Transpose(b.Floats, input[-1], outFeatures), biasValues);
    }

    /// <summary>BatchNormalization in inference form: the running statistics become the layer's buffers.</summary>
    public static Layer BatchNormalization(OnnxNodeReader node, Shape input)
    {
        node.Require(node.Int("training_mode", 0) == 0, "training_mode", "1", "only the inference form (running statistics) is imported");
        node.Require(node.Int("spatial", 1) == 1, "spatial", "0", "statistics are per channel here");
        int outputs = node.Outputs.Count(o => o.Length > 0);
        if (node.Opset < 14 && outputs > 1)
        {
            // BatchNormalization-7 and -9 write the batch's statistics only in training.
            throw node.Error($"it has {outputs} outputs; before operator set 14 that is the training form (the batch's statistics), and only the inference form is imported");
        }
        if (input.Rank is < 2 or > 4)
        {
            throw node.Error($"an input {input} is not [N, C], [N, C, L] or [N, C, H, W]");
        }
        int c = input[1];
        float[][] values = [.. new[] { (1, "scale"), (2, "bias"), (3, "mean"), (4, "variance") }.Select(p => node.Values(node.Constant(p.Item1, p.Item2)!, p.Item2, [c]))];
        double momentum = 1 - node.Float("momentum", 0.9f);
        double eps = node.Float("epsilon", 1e-5f);
        BatchNorm norm = input.Rank == 4 ? new BatchNorm2d(c, eps, momentum) : new BatchNorm1d(c, eps, momentum);
        values[0].CopyTo(norm.Weight!.Value.Data, 0);
        values[1].CopyTo(norm.Bias!.Value.Data, 0);
        values[2].CopyTo(norm.RunningMean!.Data, 0);
        values[3].CopyTo(norm.RunningVar!.Data, 0);
        return norm;
    }

    /// <summary>ONNX's Flatten gives two dimensions: it is PyTorch's Flatten(1) for axis 1, and for a later axis when every size between is 1.</summary>
    public static Layer Flatten(OnnxNodeReader node, Shape input)
    {
        long axis = node.Int("axis", 1);
        long normal = axis < 0 ? axis + input.Rank : axis;
        // [N, 1, …, 1, rest] flattened at an axis after the ones holds the same numbers as at axis 1.
        bool keepsBatch = normal >= 1 && normal <= input.Rank && input.Dimensions[1..(int)normal].ToArray().All(d => d == 1);
        node.Require(keepsBatch, "axis", axis.ToString(), $"only an axis that keeps the batch apart from the features (1, or later past sizes of 1) is imported for input {input}");
        return new Flatten();
    }

    /// <summary>A Reshape by a constant that keeps the batch and flattens the rest.</summary>
    public static Layer Reshape(OnnxNodeReader node, Shape input, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        node.Require(node.Int("allowzero", 0) == 0, "allowzero", "1", "a zero size is not a flatten");
        string name = node.Inputs.Count > 1 ? node.Inputs[1] : "";
        if (!initializers.TryGetValue(name, out OnnxTensor? shape) || shape.DataType != OnnxFields.Int64 || shape.Dims.Length != 1)
        {
            throw node.Error($"the target shape '{name}' is not a constant int64 vector; only a constant flatten is imported");
        }
        long[] target = shape.Int64s;
        long rest = input.SizeFrom(1);
        bool flattens = target.Length == 2 && (target[0] is 0 or -1 || target[0] == input[0]) && (target[1] == -1 || target[1] == rest) && !(target[0] == -1 && target[1] == -1);
        node.Require(flattens, "shape", $"[{string.Join(", ", target)}]", $"only a reshape of {input} to [N, {rest}] (PyTorch's Flatten) is imported");
        return new Flatten();
    }

    /// <summary>
    /// A constant Pad of the spatial dimensions: a <see cref="ConstantPad"/>, or no layer when it
    /// pads by zero everywhere (PyTorch writes one before average pooling). Before operator set 11
    /// (Pad-2) the pads and the value are attributes; from 11 they are inputs, and from 18 an axes
    /// input may name the dimensions the pads are for. Other modes, padding of the batch or
    /// channels, and negative padding (cropping) are refused.
    /// </summary>
    public static Layer? Pad(OnnxNodeReader node, Shape input, IReadOnlyDictionary<string, OnnxTensor> initializers)
    {
        string mode = node.String("mode", "constant");
        node.Require(mode == "constant", "mode", $"\"{mode}\"", "only constant padding exists here");
        node.RequireBefore(11, "pads", "value");
        int rank = input.Rank, dims = rank - 2;
        long[] p;
        float value = 0;
        if (node.Opset < 11)
        {
            p = node.Longs("pads") ?? throw node.Error("attribute 'pads' is missing (Pad before operator set 11 takes it as an attribute)");
            value = node.Float("value", 0);
        }
        else
        {
            string name = node.Inputs.Count > 1 ? node.Inputs[1] : "";
            bool constant = initializers.TryGetValue(name, out OnnxTensor? pads) && pads.DataType == OnnxFields.Int64;
            node.Require(constant, "pads", $"'{name}'", "only a constant Pad is imported");
            p = PadsOfAxes(node, pads!.Int64s, rank);
            if (node.Inputs.Count > 2 && node.Inputs[2].Length > 0)
            {
                OnnxTensor v = node.Constant(2, "constant_value")!;
                value = v.Floats.Length == 1 ? v.Floats[0] : throw node.Error($"the constant_value '{v.Name}' holds {v.Floats.Length} values; one is needed");
            }
        }
        bool spatialOnly = p.Length == 2 * rank && p[0] == 0 && p[1] == 0 && p[rank] == 0 && p[rank + 1] == 0 && p.All(v => v is >= 0 and <= 1 << 20);
        node.Require(spatialOnly && dims is >= 1 and <= 3, "pads", $"[{string.Join(", ", p)}]", $"only non-negative padding of the 1 to 3 spatial dimensions of {input} is imported");
        if (p.All(v => v == 0))
        {
            return null;
        }
        int[] before = p[2..rank].Select(v => (int)v).ToArray(), after = p[(rank + 2)..].Select(v => (int)v).ToArray();
        return new ConstantPad(before, after, value);
    }

    /// <summary>The pads of every dimension from Pad-18's pads for the dimensions its axes input names (all of them when it has none).</summary>
    private static long[] PadsOfAxes(OnnxNodeReader node, long[] pads, int rank)
    {
        if (node.Inputs.Count <= 3 || node.Inputs[3].Length == 0)
        {
            return pads;
        }
        node.Require(node.Opset >= 18, "axes", $"'{node.Inputs[3]}'", $"Pad takes an axes input from operator set 18; this model imports operator set {node.Opset}");
        long[] axes = node.Int64Constant(3, "axes");
        long[] normal = [.. axes.Select(a => a < 0 ? a + rank : a)];
        bool valid = pads.Length == 2 * axes.Length && normal.All(a => a >= 0 && a < rank) && normal.Distinct().Count() == normal.Length;
        node.Require(valid, "axes", $"[{string.Join(", ", axes)}]", $"they must name distinct dimensions of a rank-{rank} input, one for each pair of the {pads.Length} pads");
        var full = new long[2 * rank];
        for (int i = 0; i < normal.Length; i++)
        {
            full[normal[i]] = pads[i];
            full[rank + normal[i]] = pads[axes.Length + i];
        }
        return full;
    }

    private static Linear Linear(OnnxNodeReader node, int inFeatures, int outFeatures, float[] weight, float[]? bias)
    {
        if (outFeatures <= 0)
        {
            throw node.Error($"a weight with {outFeatures} outputs is not a linear layer");
        }
        var linear = new Linear(inFeatures, outFeatures, bias is not null, new RandomSource(0));
        weight.CopyTo(linear.Weight.Value.Data, 0);
        bias?.CopyTo(linear.Bias!.Value.Data, 0);
        return linear;
    }

    /// <summary>A bias [out] or [1, out], or one value ([], [1], [1, 1]) broadcast to every output.</summary>
    private static float[] BiasOf(OnnxNodeReader node, OnnxTensor bias, int outFeatures)
    {
        if (bias.Floats.Length == 1 && bias.Dims.All(d => d == 1))
        {
            return Enumerable.Repeat(bias.Floats[0], outFeatures).ToArray();
        }
        return bias.Dims.Length == 2 && bias.Dims[0] == 1 ? node.Values(bias, "bias", [1, outFeatures]) : node.Values(bias, "bias", [outFeatures]);
    }

    /// <summary>
    /// Gemm's C, which broadcasts to [M, N] (M the batch, N the outputs) from the right: [], [1],
    /// [N], [1, 1], [1, N], [M, 1] or [M, N]. With M rows they must all be equal, so that one bias
    /// serves every sample.
    /// </summary>
    private static float[] GemmBias(OnnxNodeReader node, OnnxTensor c, int outFeatures)
    {
        long[] dims = c.Dims;
        long columns = dims.Length == 0 ? 1 : dims[^1], rows = dims.Length == 2 ? dims[0] : 1;
        if (dims.Length > 2 || (columns != 1 && columns != outFeatures) || rows < 1 || c.Floats.Length != rows * columns)
        {
            throw node.Error($"the bias C '{c.Name}' of shape [{string.Join(", ", dims)}] does not broadcast to [M, {outFeatures}]");
        }
        float[] values = c.Floats;
        int width = (int)columns;
        for (int row = 1; row < rows; row++)
        {
            for (int j = 0; j < width; j++)
            {
                if (BitConverter.SingleToInt32Bits(values[row * width + j]) != BitConverter.SingleToInt32Bits(values[j]))
                {
                    throw node.Error($"the bias C '{c.Name}' of shape [{string.Join(", ", dims)}] has rows that differ (row {row} column {j}: {values[row * width + j]} against {values[j]}): a bias for each sample of a batch of {rows} is not a layer's bias");
                }
            }
        }
        return width == 1 ? Enumerable.Repeat(values[0], outFeatures).ToArray() : values[..outFeatures];
    }
}
