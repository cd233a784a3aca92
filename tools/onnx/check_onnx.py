#!/usr/bin/python3
"""A second opinion on ONNX files: Debian's ONNX checker (apt-get install python3-onnx).

    /usr/bin/python3 tools/onnx/check_onnx.py FILE.onnx [FILE.onnx ...]

For each file: onnx.checker.check_model with full_check (the graph, every operator's schema for
its opset, and shape inference), then the opset, the inputs and outputs with their shapes, and
the metadata keys. Exits 1 if any file fails.
"""
import sys

import onnx


def describe(value):
    dims = [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim]
    return f"{value.name} {dims}"


def main(paths):
    failed = 0
    for path in paths:
        try:
            model = onnx.load(path)
            onnx.checker.check_model(model, full_check=True)
        except Exception as error:  # the checker raises several types; each is a failed file
            print(f"{path}: FAILED: {type(error).__name__}: {error}")
            failed += 1
            continue
        opsets = ", ".join(f"{o.domain or 'ai.onnx'} {o.version}" for o in model.opset_import)
        inputs = ", ".join(describe(i) for i in model.graph.input)
        outputs = ", ".join(describe(o) for o in model.graph.output)
        keys = ", ".join(p.key for p in model.metadata_props) or "none"
        print(f"{path}: ok (onnx {onnx.__version__}): opset {opsets}; {len(model.graph.node)} nodes; input {inputs}; output {outputs}; metadata {keys}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
