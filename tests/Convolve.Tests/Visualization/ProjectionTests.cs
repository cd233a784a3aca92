using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>
/// The three ways back (gradient, deconvnet, guided backpropagation) against independent results:
/// the training-mode backward, explicit convolution matrices, and central differences.
/// </summary>
public class ProjectionTests
{
    /// <summary>Conv, ReLU, pooling and a strided convolution on an odd size (whose transpose needs output padding), then a classifier.</summary>
    private static Sequential SmallNet() => new(
        new Conv2d(1, 3, 3, padding: 1, random: new RandomSource(1)), new ReLU(), new MaxPool2d(2),
        new Conv2d(3, 4, 3, stride: 2, random: new RandomSource(2)), new ReLU(), new Flatten(),
        new Linear(4 * 3 * 3, 5, random: new RandomSource(3)));

    [Fact]
    public void The_gradient_projection_is_the_training_mode_input_gradient()
    {
        Sequential model = SmallNet();
        var image = Tensor.RandomNormal(new Shape(1, 1, 15, 15), 4);
        var signal = Tensor.RandomNormal(new Shape(1, 5), 5);
        Tensor projected = new Projector(ProjectionMethod.Gradient).Project(ForwardTrace.Run(model, image), signal);
        model.Train();
        model.Forward(image);
        Tensor expected = model.Backward(signal);
        TensorAssert.Close(expected.Data.Select(v => (double)v).ToArray(), projected.Data, 1e-5, 1e-6, "gradient projection");
    }

    [Theory]
    [InlineData(ProjectionMethod.Gradient)]
    [InlineData(ProjectionMethod.Deconvnet)]
    [InlineData(ProjectionMethod.GuidedBackprop)]
    public void The_rules_at_a_rectifier_match_the_convolution_matrices(ProjectionMethod method)
    {
        var conv1 = new Conv2d(2, 3, 3, padding: 1, random: new RandomSource(6));
        var conv2 = new Conv2d(3, 2, 3, stride: 2, random: new RandomSource(7));
        var model = new Sequential(conv1, new ReLU(), conv2);
        var image = Tensor.RandomNormal(new Shape(1, 2, 7, 7), 8);
        var trace = ForwardTrace.Run(model, image, conv2);
        var signal = Tensor.RandomNormal(trace.Output.Shape, 9);
        Tensor projected = new Projector(method).Project(trace, signal);

        double[] hidden = Multiply(Transpose(ConvolutionMatrix.Of(conv2, 7, 7)), signal.Data);
        float[] preActivation = trace.Of(model[1]).Input.Data;
        double[] gated = hidden.Select((t, i) => method switch
        {
            ProjectionMethod.Gradient => preActivation[i] > 0 ? t : 0,
            ProjectionMethod.Deconvnet => Math.Max(t, 0),
            _ => preActivation[i] > 0 && t > 0 ? t : 0,
        }).ToArray();
        double[] expected = Multiply(Transpose(ConvolutionMatrix.Of(conv1, 7, 7)), gated.Select(v => (float)v).ToArray());
        TensorAssert.Close(expected, projected.Data, 1e-5, 1e-6, $"{method} projection");
        Assert.Contains(gated, v => v == 0);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5.body.0")]
    [InlineData("5.shortcut.1")]
    [InlineData("5")]
    public void Through_batch_norm_and_residual_blocks_the_gradient_projection_is_the_derivative(string layer)
    {
        Sequential model = Convolve.Models.ModelZoo.Create("resnet-small", 1, 4, 8, new RandomSource(10));
        foreach (var (name, buffer) in model.NamedBuffers().Where(b => b.Name.EndsWith("running_var", StringComparison.Ordinal) || b.Name.EndsWith("running_mean", StringComparison.Ordinal)))
        {
            buffer.FillUniform(new RandomSource((ulong)name.Length), name.EndsWith("var", StringComparison.Ordinal) ? 0.5f : -0.3f, name.EndsWith("var", StringComparison.Ordinal) ? 2f : 0.3f);
        }
        Layer? target = layer.Length == 0 ? null : NetworkLayers.Find(model, layer).Layer;
        var image = Tensor.RandomNormal(new Shape(1, 1, 8, 8), 11);
        ForwardTrace trace = ForwardTrace.Run(model, image, target);
        var signal = Tensor.RandomNormal(trace.Output.Shape, 12);
        Tensor projected = new Projector(ProjectionMethod.Gradient).Project(trace, signal);
        double Evaluate() => Dot(ForwardTrace.Run(model, image, target).Output, signal);
        GradientAssert.AssertReport(GradientCheck.CheckFunction("image", image, projected, Evaluate, seed: 13, epsilon: 1e-3f), $"layer '{layer}'");
    }

    [Fact]
    public void Saliency_is_the_class_score_gradient_and_refuses_an_unknown_class()
    {
        Sequential model = SmallNet();
        var image = Tensor.RandomNormal(new Shape(1, 1, 15, 15), 14);
        Tensor saliency = Saliency.Of(model, image, 3);
        model.Train();
        model.Forward(image);
        var oneHot = new Tensor(new Shape(1, 5));
        oneHot.Data[3] = 1f;
        TensorAssert.Close(model.Backward(oneHot).Data.Select(v => (double)v).ToArray(), saliency.Data, 1e-5, 1e-6, "saliency");
        Assert.Equal(new Shape(1, 15, 15), saliency.Shape);
        var ex = Assert.Throws<ArgumentException>(() => Saliency.Of(model, image, 5));
        Assert.Contains("class 5 is out of range: the model has 5 classes (0-4)", ex.Message, StringComparison.Ordinal);
    }

    internal static double Dot(Tensor a, Tensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Size; i++)
        {
            sum += (double)a.Data[i] * b.Data[i];
        }
        return sum;
    }

    private static float[,] Transpose(Tensor matrix)
    {
        int rows = matrix.Shape[0], columns = matrix.Shape[1];
        var result = new float[columns, rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < columns; c++)
            {
                result[c, r] = matrix.Data[r * columns + c];
            }
        }
        return result;
    }

    private static double[] Multiply(float[,] matrix, float[] vector)
    {
        var result = new double[matrix.GetLength(0)];
        for (int r = 0; r < result.Length; r++)
        {
            for (int c = 0; c < vector.Length; c++)
            {
                result[r] += (double)matrix[r, c] * vector[c];
            }
        }
        return result;
    }
}
