using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Tests.Testing;
using static Convolve.Tests.Layers.BatchNormSetup;

namespace Convolve.Tests.Layers;

public class BatchNormForwardTests
{
    private const double Tolerance = 2e-6;

    public static TheoryData<int[], bool> Cases => ShapesWithAffine();

    [Fact]
    public void Defaults_are_PyTorch_initial_values_and_state_dict_names()
    {
        var layer = new BatchNorm2d(3);
        Assert.Equal((1e-5, 0.1, true, true), (layer.Eps, layer.Momentum, layer.Affine, layer.TrackRunningStats));
        Assert.Equal(["weight", "bias"], layer.NamedParameters().Select(p => p.Name));
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], layer.NamedBuffers().Select(b => b.Name));
        Assert.Equal([1f, 1f, 1f], layer.Weight!.Value.Data);
        Assert.Equal([0f, 0f, 0f], layer.Bias!.Value.Data);
        Assert.Equal([0f, 0f, 0f], layer.RunningMean!.Data);
        Assert.Equal([1f, 1f, 1f], layer.RunningVar!.Data);
        Assert.Equal(new Shape(), layer.NumBatchesTracked!.Shape);
        Assert.Equal([0f], layer.NumBatchesTracked.Data);
    }

    [Fact]
    public void Without_affine_or_tracking_there_are_no_parameters_or_buffers()
    {
        var layer = new BatchNorm1d(4, affine: false, trackRunningStats: false);
        Assert.Empty(layer.NamedParameters());
        Assert.Empty(layer.NamedBuffers());
        Assert.Null(layer.Weight);
        Assert.Null(layer.RunningMean);
        Assert.Equal(["running_mean", "running_var", "num_batches_tracked"], new BatchNorm1d(4, affine: false).NamedBuffers().Select(b => b.Name));
        Assert.Equal(["weight", "bias"], new BatchNorm1d(4, trackRunningStats: false).NamedParameters().Select(p => p.Name));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Training_forward_and_running_update_match_the_reference(int[] shape, bool affine)
    {
        var layer = Create(shape, affine, momentum: 0.3);
        Randomize(layer, 11);
        var input = Input(shape, 12, mean: 0.5f, std: 2f);
        var expected = ReferenceOps.BatchNorm(input, Copy(layer.Weight), Copy(layer.Bias), Copy(layer.RunningMean), Copy(layer.RunningVar),
            batchStatistics: true, updateRunning: true, momentum: 0.3, eps: 1e-5);

        var output = layer.Forward(input);

        TensorAssert.Close(expected.Output, output.Data, Tolerance, Tolerance, $"output {Shape.Format(shape)}");
        TensorAssert.Close(expected.RunningMean!, layer.RunningMean!.Data, Tolerance, Tolerance, "running_mean");
        TensorAssert.Close(expected.RunningVar!, layer.RunningVar!.Data, Tolerance, Tolerance, "running_var");
        Assert.Equal([1f], layer.NumBatchesTracked!.Data);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Eval_forward_normalises_with_the_running_statistics_and_leaves_them(int[] shape, bool affine)
    {
        var layer = Create(shape, affine);
        Randomize(layer, 21);
        layer.Eval();
        float[] runningMean = Copy(layer.RunningMean)!, runningVar = Copy(layer.RunningVar)!;
        var input = Input(shape, 22);
        var expected = ReferenceOps.BatchNorm(input, Copy(layer.Weight), Copy(layer.Bias), runningMean, runningVar,
            batchStatistics: false, updateRunning: false, momentum: 0.1, eps: 1e-5);

        var output = layer.Forward(input);

        TensorAssert.Close(expected.Output, output.Data, Tolerance, Tolerance, $"output {Shape.Format(shape)}");
        TensorAssert.Identical(runningMean, layer.RunningMean!.Data, "running_mean");
        TensorAssert.Identical(runningVar, layer.RunningVar!.Data, "running_var");
        Assert.Equal([0f], layer.NumBatchesTracked!.Data);
    }

    [Theory]
    [InlineData(new[] { 4, 3 })]
    [InlineData(new[] { 2, 5, 3, 2 })]
    public void Eval_without_tracking_normalises_with_batch_statistics(int[] shape)
    {
        var layer = Create(shape, track: false);
        Randomize(layer, 31);
        layer.Eval();
        var input = Input(shape, 32, mean: -1f, std: 3f);
        var expected = ReferenceOps.BatchNorm(input, Copy(layer.Weight), Copy(layer.Bias), null, null,
            batchStatistics: true, updateRunning: false, momentum: 0.1, eps: 1e-5);

        TensorAssert.Close(expected.Output, layer.Forward(input).Data, Tolerance, Tolerance, "output");
    }

    [Fact]
    public void A_mean_far_from_zero_does_not_cost_the_variance_its_precision()
    {
        // Values 1e4 ± 1e-2: E[x²] − E[x]² would cancel about twelve of double's sixteen digits.
        // Momentum 1 makes running_var the batch's unbiased variance itself (≈ 1e-4).
        var layer = new BatchNorm1d(3, momentum: 1.0, affine: false);
        var input = Input([64, 3], 41, mean: 1e4f, std: 1e-2f);
        var expected = ReferenceOps.BatchNorm(input, null, null, [0f, 0f, 0f], [1f, 1f, 1f], true, true, 1.0, 1e-5);

        var output = layer.Forward(input);

        TensorAssert.Close(expected.Output, output.Data, 1e-5, 1e-5, "output");
        TensorAssert.Close(expected.RunningVar!, layer.RunningVar!.Data, 1e-5, 0, "running_var");
    }

    [Fact]
    public void An_empty_batch_is_counted_but_leaves_the_statistics_as_PyTorch_does()
    {
        var layer = new BatchNorm2d(3);
        Randomize(layer, 51);
        float[] runningMean = Copy(layer.RunningMean)!, runningVar = Copy(layer.RunningVar)!;

        var output = layer.Forward(Tensor.Zeros(0, 3, 4, 4));
        var gradInput = layer.Backward(Tensor.Zeros(0, 3, 4, 4));

        Assert.Equal(new Shape(0, 3, 4, 4), output.Shape);
        Assert.Equal(new Shape(0, 3, 4, 4), gradInput.Shape);
        TensorAssert.Identical(runningMean, layer.RunningMean!.Data, "running_mean");
        TensorAssert.Identical(runningVar, layer.RunningVar!.Data, "running_var");
        Assert.Equal([1f], layer.NumBatchesTracked!.Data);
        Assert.All(layer.Weight!.Grad.Data, g => Assert.Equal(0f, g));
    }
}
