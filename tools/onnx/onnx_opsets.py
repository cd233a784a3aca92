#!/usr/bin/python3
"""Small ONNX files at old operator sets (7-18), built node by node with onnx.helper (issue 19).

Run through make_fixtures.py (`/usr/bin/python3 tools/onnx/make_fixtures.py opsets`), or alone:

    /usr/bin/python3 tools/onnx/onnx_opsets.py tests/Convolve.Tests/Data/onnx/opsets

Each file is one operator (or a short chain) in the form its version at that operator set has:
Pad-2's pads and value attributes, Clip-6's min and max, Slice-1's starts/ends/axes, ReduceMean's
axes attribute before 18 and input from 18, Split's attribute before 13, Softmax before 13 (the
2-D coercion), BatchNormalization-7's spatial, MaxPool-8, AveragePool-7, Dropout-7's ratio,
Gemm with transB/alpha/beta and every broadcastable bias C, and so on. cases.json lists the files
with the operator set, the input shape (batch first) and whether Convolve must refuse the file;
the test (tests/Convolve.Tests/Onnx/ImportOpsetTests.cs) runs ONNX Runtime and the import on the
same seeded input and compares, and checks the refusal messages. Files at operator sets this
onnx package knows are also passed through onnx.checker here.
"""
import json
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

CASES = []


def weight(name, shape, seed):
    values = np.random.default_rng(seed).standard_normal(shape).astype(np.float32)
    fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
    return numpy_helper.from_array(values / np.float32(max(fan_in, 1) ** 0.5), name)


def floats(name, values, shape=None):
    array = np.array(values, dtype=np.float32)
    return numpy_helper.from_array(array.reshape(shape) if shape is not None else array, name)


def ints(name, values):
    return numpy_helper.from_array(np.array(values, dtype=np.int64), name)


def bn(prefix, channels, seed):
    rng = np.random.default_rng(seed)
    return [floats(prefix + "_s", 1 + 0.3 * rng.standard_normal(channels)),
            floats(prefix + "_b", 0.3 * rng.standard_normal(channels)),
            floats(prefix + "_m", 0.3 * rng.standard_normal(channels)),
            floats(prefix + "_v", 0.5 + rng.random(channels))]


def case(name, opset, shape, nodes, initializers=(), refused=False, symbolic=True, out_rank=None):
    """One model: input 'x' of shape [N, ...] (N symbolic unless symbolic is False), output 'y' of rank out_rank (the input's by default)."""
    dims = (["N"] if symbolic else [shape[0]]) + list(shape[1:])
    graph = helper.make_graph(nodes, name, [helper.make_tensor_value_info("x", TensorProto.FLOAT, dims)],
                              [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], list(initializers))
    model = helper.make_model(graph, producer_name="onnx_opsets.py", opset_imports=[helper.make_opsetid("", opset)])
    model.ir_version = 3 if opset <= 8 else 4 if opset == 9 else 5 if opset == 10 else 6 if opset == 11 else 7 if opset <= 14 else 8
    if model.ir_version < 4:
        # Before IR 4 every initializer is also a graph input (as old exporters wrote them).
        model.graph.input.extend(helper.make_tensor_value_info(t.name, t.data_type, list(t.dims)) for t in initializers)
    # IR 3 wants a shape on every graph output: its rank, each size unknown.
    rank = len(shape) if out_rank is None else out_rank
    model.graph.output[0].CopyFrom(helper.make_tensor_value_info("y", TensorProto.FLOAT, [None] * rank))
    CASES.append((name, opset, list(shape), refused, model))


def n(op, inputs, outputs, name=None, **attributes):
    return helper.make_node(op, inputs, outputs, name=name or outputs[0], **attributes)


def chains():
    """The operators whose meaning did not change, at the oldest set read and at 9 and 10."""
    for opset in (7, 8, 9, 10):
        init = [weight("w1", (4, 2, 3, 3), opset), floats("b1", [0.1, -0.2, 0.3, 0.0]), *bn("bn", 4, opset),
                weight("w2", (4, 4, 3, 3), 10 + opset), weight("fc", (5, 4 * 3 * 3), 20 + opset), floats("fcb", [0.1, 0.2, -0.1, 0.0, 0.3])]
        nodes = [
            n("Conv", ["x", "w1", "b1"], ["c1"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            n("BatchNormalization", ["c1", "bn_s", "bn_b", "bn_m", "bn_v"], ["n1"], epsilon=1e-3,
              **({"spatial": 1} if opset < 9 else {})),
            n("Relu", ["n1"], ["r1"]),
            n("MaxPool", ["r1"], ["p1"], kernel_shape=[2, 2], strides=[2, 2], **({"storage_order": 0} if opset >= 8 else {})),
            n("Conv", ["p1", "w2"], ["c2"], kernel_shape=[3, 3], strides=[1, 1], auto_pad="SAME_UPPER"),
            n("LeakyRelu", ["c2"], ["l2"], alpha=0.1),
            n("AveragePool", ["l2"], ["p2"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1], count_include_pad=1,
              **({"ceil_mode": 1} if opset >= 10 else {})),
            n("Dropout", ["p2"], ["d2"], ratio=0.3),
            n("Flatten", ["d2"], ["f"], axis=1),
            n("Gemm", ["f", "fc", "fcb"], ["g"], transB=1),
            n("Tanh", ["g"], ["y"]),
        ]
        case(f"chain_opset{opset}", opset, (2, 2, 11, 11), nodes, init, out_rank=2)
    for opset in (7, 9):
        init = [weight("w", (3, 2, 3, 3), 30 + opset), weight("wt", (3, 2, 2, 2), 40 + opset), weight("mm", (2 * 3 * 3, 4), 50 + opset),
                floats("mmb", [0.5, -0.5, 0.25, 0.0]), ints("shape", [0, -1])]
        nodes = [
            n("LpPool", ["x"], ["lp"], kernel_shape=[2, 2], strides=[1, 1], p=2),
            n("Conv", ["lp", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]),
            n("Sigmoid", ["c"], ["s"]),
            n("ConvTranspose", ["s", "wt"], ["t"], kernel_shape=[2, 2], strides=[2, 2], pads=[1, 1, 1, 1], output_padding=[1, 1]),
            n("HardSigmoid", ["t"], ["h"], alpha=1.0 / 6, beta=0.5),
            n("GlobalMaxPool", ["h"], ["gm"]),
            n("Add", ["gm", "h"], ["a"]),
            n("MaxPool", ["a"], ["mp"], kernel_shape=[2, 2], strides=[2, 2]),
            n("Reshape", ["mp", "shape"], ["rs"]),
            n("MatMul", ["rs", "mm"], ["m"]),
            n("Add", ["m", "mmb"], ["y"]),
        ]
        case(f"graph_opset{opset}", opset, (2, 2, 5, 5), nodes, init, out_rank=2)
    # Pooling at the versions before ceil_mode and dilations (7, 8) and with them (10); ConvTranspose-1's output_shape.
    case("pooling_opset7", 7, (2, 3, 9, 9), [
        n("AveragePool", ["x"], ["a"], kernel_shape=[3, 3], strides=[2, 2], pads=[1, 1, 1, 1]),
        n("MaxPool", ["a"], ["y"], kernel_shape=[2, 2], strides=[1, 1], pads=[1, 1, 1, 1])])
    case("pooling_opset10", 10, (2, 3, 10, 10), [
        n("MaxPool", ["x"], ["m"], kernel_shape=[3, 3], strides=[2, 2], dilations=[1, 1], ceil_mode=1),
        n("MaxPool", ["m"], ["y"], kernel_shape=[2, 2], strides=[1, 1], dilations=[2, 2])])
    case("convtranspose_output_shape_opset9", 9, (2, 2, 5, 5), [
        n("ConvTranspose", ["x", "w"], ["y"], kernel_shape=[3, 3], strides=[2, 2], output_shape=[10, 11])], [weight("w", (2, 3, 3, 3), 90)])
    # A residual block (Add of two computed values) and Identity at 7.
    init = [weight("w", (2, 2, 3, 3), 60)]
    case("residual_opset7", 7, (2, 2, 6, 6), [
        n("Conv", ["x", "w"], ["c"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]), n("Relu", ["c"], ["r"]), n("Identity", ["r"], ["i"]),
        n("Add", ["i", "x"], ["s"]), n("GlobalAveragePool", ["s"], ["y"])], init)


def moved_inputs():
    """Operators whose inputs were attributes at the older sets."""
    for opset in (7, 9, 10):
        case(f"pad2_opset{opset}", opset, (2, 2, 5, 6), [
            n("Pad", ["x"], ["p"], pads=[0, 0, 1, 2, 0, 0, 2, 0], value=0.5),
            n("Conv", ["p", "w"], ["y"], kernel_shape=[2, 2])], [weight("w", (3, 2, 2, 2), opset)])
    case("pad_opset11", 11, (2, 2, 5, 6), [n("Pad", ["x", "pads", "v"], ["y"])], [ints("pads", [0, 0, 2, 1, 0, 0, 0, 3]), floats("v", [-1.5], [])])
    case("pad_axes_opset18", 18, (2, 2, 5, 6), [n("Pad", ["x", "pads", "", "axes"], ["y"])], [ints("pads", [1, 2, 3, 0]), ints("axes", [3, 2])])
    for opset in (7, 10):
        case(f"clip6_opset{opset}", opset, (2, 3, 4, 4), [n("Clip", ["x"], ["c"], min=-0.5, max=0.75), n("Clip", ["c"], ["y"], min=0.0)])
    case("clip6_relu6_opset9", 9, (2, 3, 4, 4), [n("Clip", ["x"], ["y"], min=0.0, max=6.0)])
    case("clip_opset11", 11, (2, 3, 4, 4), [n("Clip", ["x", "lo", "hi"], ["y"])], [floats("lo", [-0.25], []), floats("hi", [0.5], [])])
    for opset in (7, 9):
        case(f"slice1_opset{opset}", opset, (2, 6, 4, 4), [n("Slice", ["x"], ["y"], starts=[1], ends=[-1], axes=[1])])
        case(f"slice1_negative_opset{opset}", opset, (2, 6, 5), [
            n("Slice", ["x"], ["s"], starts=[-3], ends=[1000], axes=[2]), n("Relu", ["s"], ["y"])])
    case("slice_opset10", 10, (2, 6, 4, 4), [n("Slice", ["x", "st", "en", "ax"], ["y"])], [ints("st", [2]), ints("en", [100]), ints("ax", [-3])])
    for opset in (7, 11, 13):
        case(f"reducemean_opset{opset}", opset, (2, 3, 4, 5), [n("ReduceMean", ["x"], ["y"], axes=[2, 3], keepdims=1)])
    case("reducemean_opset18", 18, (2, 3, 4, 5), [n("ReduceMean", ["x", "axes"], ["y"], keepdims=0)], [ints("axes", [-1, -2])], out_rank=2)
    for opset in (7, 11):
        case(f"split2_opset{opset}", opset, (2, 6, 3, 3), [
            n("Split", ["x"], ["a", "b"], axis=1, split=[2, 4]), n("Relu", ["a"], ["ra"]), n("Sigmoid", ["b"], ["sb"]),
            n("Concat", ["sb", "ra"], ["y"], axis=1)])
    case("split_equal_opset9", 9, (2, 6, 3, 3), [
        n("Split", ["x"], ["a", "b", "c"], axis=1), n("Mul", ["a", "c"], ["m"]), n("Concat", ["m", "b"], ["y"], axis=1)])
    case("split_opset13", 13, (2, 6, 3, 3), [
        n("Split", ["x", "sizes"], ["a", "b"], axis=1), n("Concat", ["b", "a"], ["y"], axis=1)], [ints("sizes", [1, 5])])
    case("split_num_outputs_opset18", 18, (2, 7, 3, 3), [
        n("Split", ["x"], ["a", "b"], axis=1, num_outputs=2), n("Concat", ["b", "a"], ["y"], axis=1)])
    case("dropout_inference_opset12", 12, (2, 3, 4), [
        n("Dropout", ["x", "ratio", "training"], ["d", "mask"]), n("Relu", ["d"], ["y"])],
        [floats("ratio", [0.25], []), numpy_helper.from_array(np.array(False), "training")])
    case("dropout_mask_opset10", 10, (2, 3, 4), [n("Dropout", ["x"], ["d", "mask"], ratio=0.2), n("Sigmoid", ["d"], ["y"])])
    # PyTorch's flatten at old sets: Shape, Gather, Unsqueeze (axes attribute before 13), Concat, Reshape.
    for opset in (9, 13):
        unsqueeze = (lambda i, o: n("Unsqueeze", [i], [o], axes=[0])) if opset < 13 else (lambda i, o: n("Unsqueeze", [i, "zero"], [o]))
        case(f"shape_flatten_opset{opset}", opset, (2, 3, 2, 2), [
            n("Shape", ["x"], ["sh"]), n("Gather", ["sh", "i0"], ["b"], axis=0), unsqueeze("b", "bu"),
            n("Concat", ["bu", "minus"], ["target"], axis=0), n("Reshape", ["x", "target"], ["y"])],
            [ints("i0", 0), ints("minus", [-1]), ints("zero", [0])], out_rank=2)


def softmax():
    """Softmax before 13 normalises the input coerced to 2-D from the axis on."""
    case("softmax1_opset7", 7, (2, 5), [n("Softmax", ["x"], ["y"])])
    case("softmax1_last_opset9", 9, (2, 3, 4, 5), [n("Softmax", ["x"], ["y"], axis=3)])
    case("softmax11_ones_opset11", 11, (2, 5, 1, 1), [n("Softmax", ["x"], ["y"], axis=1)])
    case("softmax11_one_wide_opset11", 11, (2, 1, 6, 1), [n("Softmax", ["x"], ["y"], axis=-3)])
    case("softmax13_opset13", 13, (2, 3, 4, 5), [n("Softmax", ["x"], ["y"], axis=1)])
    case("softmax11_flattened_opset11", 11, (2, 3, 4, 5), [n("Softmax", ["x"], ["y"], axis=1)], refused=True)
    case("softmax1_batch_opset9", 9, (2, 5), [n("Softmax", ["x"], ["y"], axis=0)], refused=True)


def gemm():
    """Gemm with transB, alpha, beta and every bias C that broadcasts to [M, N]; M = 2 is the batch."""
    m, k, out = 2, 6, 4
    rng = np.random.default_rng(70)
    row = rng.standard_normal(out).astype(np.float32)
    biases = {
        "none": None, "scalar": floats("c", [0.7], []), "one": floats("c", [-0.3], [1]), "n": floats("c", row),
        "1n": floats("c", row, [1, out]), "11": floats("c", [0.2], [1, 1]), "m1": floats("c", [0.4, 0.4], [m, 1]),
        "mn": floats("c", np.stack([row, row]), [m, out]),
    }
    variants = [(0, 1.0, 1.0), (1, 1.0, 1.0), (0, 0.5, 2.0), (1, -1.5, 0.25), (1, 2.0, 0.0)]
    for opset in (7, 9, 11, 13):
        for bias_name, c in biases.items():
            if c is None and opset < 11:
                continue  # C is required before 11
            for trans_b, alpha, beta in (variants if bias_name in ("n", "mn") else variants[:2]):
                b = weight("b", (out, k) if trans_b else (k, out), opset * 10 + trans_b)
                inputs = ["x", "b"] + (["c"] if c is not None else [])
                name = f"gemm_{bias_name}_t{trans_b}_a{alpha:g}_b{beta:g}_opset{opset}".replace("-", "m").replace(".", "p")
                case(name, opset, (m, k), [n("Gemm", inputs, ["y"], transB=trans_b, alpha=alpha, beta=beta)],
                     [b] + ([c] if c is not None else []), symbolic=bias_name not in ("m1", "mn"))
    for opset in (7, 13):
        # transA 1 on a Transpose of the input: the two are one linear layer.
        case(f"gemm_transposed_a_opset{opset}", opset, (m, k), [
            n("Transpose", ["x"], ["xt"], perm=[1, 0]), n("Gemm", ["xt", "b", "c"], ["y"], transA=1, transB=1, alpha=0.75, beta=-1.0)],
            [weight("b", (out, k), 3), floats("c", row, [1, out])])
    case("gemm_rows_differ_opset9", 9, (m, k), [n("Gemm", ["x", "b", "c"], ["y"])],
         [weight("b", (k, out), 1), floats("c", rng.standard_normal((m, out)), [m, out])], refused=True, symbolic=False)
    case("gemm_transa_opset9", 9, (k, m), [n("Gemm", ["x", "b", "c"], ["y"], transA=1)],
         [weight("b", (k, out), 2), floats("c", row)], refused=True, symbolic=False)


def refusals():
    """Files Convolve must refuse by name."""
    case("upsample_opset9", 9, (2, 2, 3, 3), [n("Upsample", ["x", "scales"], ["y"], mode="nearest")],
         [floats("scales", [1, 1, 2, 2])], refused=True)
    case("batchnorm_spatial0_opset7", 7, (2, 3, 4, 4), [n("BatchNormalization", ["x", "bn_s", "bn_b", "bn_m", "bn_v"], ["y"], spatial=0)],
         [floats("bn_s", np.ones((3, 4, 4))), floats("bn_b", np.zeros((3, 4, 4))), floats("bn_m", np.zeros((3, 4, 4))), floats("bn_v", np.ones((3, 4, 4)))],
         refused=True)
    case("opset6", 6, (2, 3), [n("Relu", ["x"], ["y"])], refused=True)
    stats = bn("bn", 3, 80)
    case("batchnorm_training_opset9", 9, (2, 3, 4, 4), [
        n("BatchNormalization", ["x", "bn_s", "bn_b", "bn_m", "bn_v"], ["y", "mean", "var", "saved_mean", "saved_var"])], stats, refused=True)
    case("dropout_training_opset12", 12, (2, 3, 4), [n("Dropout", ["x", "ratio", "training"], ["y"])],
         [floats("ratio", [0.5], []), numpy_helper.from_array(np.array(True), "training")], refused=True)
    # Not valid ONNX (the attribute forms belong to the older versions): refused by name all the same.
    case("pad_attribute_opset11", 11, (2, 2, 3, 3), [n("Pad", ["x"], ["y"], pads=[0, 0, 1, 1, 0, 0, 1, 1])], refused=True)
    case("slice_attribute_opset10", 10, (2, 6, 3), [n("Slice", ["x"], ["y"], starts=[1], ends=[3], axes=[1])], refused=True)
    case("split_uneven_opset11", 11, (2, 7, 3), [n("Split", ["x"], ["a", "b"], axis=1), n("Concat", ["b", "a"], ["y"], axis=1)], refused=True)


def write(folder):
    os.makedirs(folder, exist_ok=True)
    for old in os.listdir(folder):
        if old.endswith(".onnx"):
            os.remove(os.path.join(folder, old))
    CASES.clear()
    chains()
    moved_inputs()
    softmax()
    gemm()
    refusals()
    manifest = []
    for name, opset, shape, refused, model in CASES:
        if opset <= onnx.defs.onnx_opset_version() and not refused:
            try:
                onnx.checker.check_model(model)
            except Exception as e:
                raise SystemExit(f"{name}: {e}")
        onnx.save(model, os.path.join(folder, name + ".onnx"))
        manifest.append({"name": name, "opset": opset, "input_shape": shape, "refused": refused,
                         "operators": sorted({node.op_type for node in model.graph.node})})
    with open(os.path.join(folder, "cases.json"), "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"opsets: {len(manifest)} files in {folder}")


if __name__ == "__main__":
    write(sys.argv[1])
