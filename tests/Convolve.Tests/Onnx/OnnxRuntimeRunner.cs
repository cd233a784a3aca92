using Convolve.Tensors;
using Microsoft.ML.OnnxRuntime;
using DenseTensor = Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>;
using Tensor = Convolve.Tensors.Tensor;

namespace Convolve.Tests.Onnx;

/// <summary>Runs an ONNX file's bytes in ONNX Runtime (CPU, one thread, every graph optimisation off so the file's own operators run).</summary>
internal static class OnnxRuntimeRunner
{
    /// <summary>The graph's single output for <paramref name="input"/>.</summary>
    public static Tensor Run(byte[] model, Tensor input)
    {
        using var options = new SessionOptions
        {
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_DISABLE_ALL,
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
        };
        using var session = new InferenceSession(model, options);
        var dense = new DenseTensor(input.Data.ToArray(), input.Shape.ToArray());
        using var results = session.Run([NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), dense)]);
        var output = results.Single().AsTensor<float>();
        return new Tensor(new Shape(output.Dimensions.ToArray()), output.ToArray());
    }

    /// <summary>The model's metadata entries as ONNX Runtime reads them.</summary>
    public static IReadOnlyDictionary<string, string> Metadata(byte[] model)
    {
        using var session = new InferenceSession(model);
        return new Dictionary<string, string>(session.ModelMetadata.CustomMetadataMap);
    }
}
