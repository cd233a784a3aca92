using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Tests.Models;

namespace Convolve.Tests.Summary;

public class ModelSummaryTests
{
    public static TheoryData<string> ZooNames => ZooReference.Names();

    /// <summary>A zoo model with its convolutions pinned to im2col, whose workspace (the column matrix) the hand counts use.</summary>
    private static Sequential Zoo(string name) => Pin(ModelZoo.Create(name, random: new RandomSource(1)), ConvolutionAlgorithm.Im2Col);

    private static Sequential Pin(Sequential model, ConvolutionAlgorithm algorithm)
    {
        foreach (ConvolutionBase convolution in Convolutions(model))
        {
            convolution.Algorithm = algorithm;
        }
        return model;
    }

    private static IEnumerable<ConvolutionBase> Convolutions(Layer layer) => layer switch
    {
        ConvolutionBase convolution => [convolution],
        Sequential sequential => Enumerable.Range(0, sequential.Count).SelectMany(i => Convolutions(sequential[i])),
        Residual residual => Convolutions(residual.Body).Concat(residual.Shortcut is null ? [] : Convolutions(residual.Shortcut)),
        _ => [],
    };

    [Fact]
    public void Fashion_cnn_rows_match_hand_counts()
    {
        ModelSummary summary = ModelSummary.Of(Zoo("fashion-cnn"), new Shape(1, 1, 28, 28));
        // FLOPs: 2 per multiply-add plus 1 per output for the bias; 1 per output element or window element otherwise.
        (string Name, string Type, int[] Shape, long Parameters, long Flops, long Workspace)[] expected =
        [
            ("0", "Conv2d", [1, 32, 28, 28], 32 * 25 + 32, 32L * 28 * 28 * (2 * 1 * 25 + 1), 4L * 1 * 25 * 28 * 28),
            ("1", "ReLU", [1, 32, 28, 28], 0, 32 * 28 * 28, 0),
            ("2", "MaxPool2d", [1, 32, 14, 14], 0, 32 * 14 * 14 * 4, 0),
            ("3", "Conv2d", [1, 64, 14, 14], 64 * 32 * 25 + 64, 64L * 14 * 14 * (2 * 32 * 25 + 1), 4L * 32 * 25 * 14 * 14),
            ("4", "ReLU", [1, 64, 14, 14], 0, 64 * 14 * 14, 0),
            ("5", "MaxPool2d", [1, 64, 7, 7], 0, 64 * 7 * 7 * 4, 0),
            ("6", "Flatten", [1, 3136], 0, 0, 0),
            ("7", "Linear", [1, 128], 3136 * 128 + 128, 128 * (2 * 3136 + 1), 0),
            ("8", "ReLU", [1, 128], 0, 128, 0),
            ("9", "Linear", [1, 10], 128 * 10 + 10, 10 * (2 * 128 + 1), 0),
        ];
        Assert.Equal(expected, summary.Rows.Select(r => (r.Name, r.Type, r.OutputShape.ToArray(), r.Parameters, r.Flops, r.WorkspaceBytes)));
        Assert.Equal(22_243_338, summary.Flops);
        Assert.Equal(454_922, summary.TrainableParameters);
        Assert.Equal(454_922, summary.Parameters);
        Assert.Equal(4 * 454_922, summary.ParameterBytes);
        Assert.Equal(4L * (1 * 25 * 28 * 28 + 32 * 25 * 14 * 14), summary.WorkspaceBytes);
        // Every output but Flatten's view, in float32.
        Assert.Equal(4L * (2 * 32 * 28 * 28 + 32 * 14 * 14 + 2 * 64 * 14 * 14 + 64 * 7 * 7 + 2 * 128 + 10), summary.ActivationBytes);
        Assert.Equal(new Shape(1, 10), summary.OutputShape);
    }

    [Fact]
    public void Lenet5_rows_match_hand_counts()
    {
        ModelSummary summary = ModelSummary.Of(Zoo("lenet5"), new Shape(1, 1, 28, 28));
        long[] flops =
        [
            6 * 28 * 28 * (2 * 25 + 1), 6 * 28 * 28, 6 * 14 * 14 * 4,
            16 * 10 * 10 * (2 * 6 * 25 + 1), 16 * 10 * 10, 16 * 5 * 5 * 4, 0,
            120 * (2 * 400 + 1), 120, 84 * (2 * 120 + 1), 84, 10 * (2 * 84 + 1),
        ];
        Assert.Equal(flops, summary.Rows.Select(r => r.Flops));
        Assert.Equal([6 * 25 + 6, 0, 0, 16 * 6 * 25 + 16, 0, 0, 0, 400 * 120 + 120, 0, 120 * 84 + 84, 0, 84 * 10 + 10], summary.Rows.Select(r => r.Parameters));
        Assert.Equal(61_706, summary.TrainableParameters);
        Assert.Equal([4 * 25 * 28 * 28, 0, 0, 4 * 6 * 25 * 10 * 10, 0, 0, 0, 0, 0, 0, 0, 0], summary.Rows.Select(r => r.WorkspaceBytes));
    }

    [Theory]
    [InlineData("fashion-cnn")]
    [InlineData("lenet5")]
    public void Row_shapes_are_the_shapes_a_forward_pass_produces(string name)
    {
        Sequential model = Zoo(name);
        Tensor activation = Tensor.RandomNormal(new Shape(3, 1, 28, 28), 1);
        ModelSummary summary = ModelSummary.Of(model, activation.Shape);
        for (int i = 0; i < model.Count; i++)
        {
            activation = model[i].Forward(activation);
            Assert.Equal(activation.Shape, summary.Rows[i].OutputShape);
        }
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void Rows_and_counts_match_PyTorch(string name)
    {
        Sequential model = Zoo(name);
        ModelSummary summary = ModelSummary.Of(model, ZooReference.Input);
        Assert.Equal(ZooReference.OutputShapes(name), summary.Rows.Select(r => (r.Name, r.OutputShape)).ToArray());
        Assert.Equal(model.OutputShape(ZooReference.Input), summary.OutputShape);
        Assert.Equal(ZooReference.ParameterCount(name), summary.TrainableParameters);
        long buffers = ZooReference.Buffers(name).Sum(b => (long)b.Shape.Size);
        Assert.Equal(ZooReference.ParameterCount(name) + buffers, summary.Parameters);
        Assert.Equal(summary.Parameters, summary.Rows.Sum(r => r.Parameters + r.Buffers));
    }

    [Fact]
    public void Residual_blocks_add_a_row_for_the_sum_after_their_branches()
    {
        ModelSummary summary = ModelSummary.Of(Zoo("resnet-small"), new Shape(1, 1, 28, 28));
        string[] block = summary.Rows.SkipWhile(r => r.Name != "5.body.0").TakeWhile(r => r.Name != "6").Select(r => r.Name).ToArray();
        Assert.Equal(["5.body.0", "5.body.1", "5.body.2", "5.body.3", "5.body.4", "5.shortcut.0", "5.shortcut.1", "5"], block);
        ModelSummaryRow sum = summary.Rows.Single(r => r.Name == "5");
        Assert.Equal(("Residual", 32L * 14 * 14, 0L), (sum.Type, sum.Flops, sum.Parameters));
        // The 1×1 stride-2 projection is not pointwise: it lowers its strided samples into columns.
        Assert.Equal(4L * 16 * 1 * 14 * 14, summary.Rows.Single(r => r.Name == "5.shortcut.0").WorkspaceBytes);
        // running_mean and running_var per channel, and num_batches_tracked.
        Assert.Equal(32 * 2 + 1, summary.Rows.Single(r => r.Name == "5.body.1").Buffers);
    }

    [Fact]
    public void Batch_size_scales_flops_and_activations_but_not_parameters_or_workspace()
    {
        Sequential model = Zoo("vgg-small");
        ModelSummary one = ModelSummary.Of(model, new Shape(2, 1, 28, 28));
        ModelSummary four = ModelSummary.Of(model, new Shape(8, 1, 28, 28));
        Assert.Equal(4 * one.Flops, four.Flops);
        Assert.Equal(4 * one.ActivationBytes, four.ActivationBytes);
        Assert.Equal(one.WorkspaceBytes, four.WorkspaceBytes);
        Assert.Equal(one.Parameters, four.Parameters);
    }

    [Fact]
    public void Direct_convolution_reports_its_blocked_frames_and_the_algorithm_column_names_each_convolution()
    {
        var model = new Sequential(new Conv2d(32, 40, 3, padding: 1, random: new RandomSource(1)) { Algorithm = ConvolutionAlgorithm.Direct }, new ReLU());
        ModelSummary summary = ModelSummary.Of(model, new Shape(2, 32, 9, 7));
        int lanes = Convolve.Kernels.Simd.Level switch { Convolve.Kernels.SimdLevel.Vector512 => 16, Convolve.Kernels.SimdLevel.Vector256 => 8, Convolve.Kernels.SimdLevel.Vector128 => 4, _ => 1 };
        // Input frame: ⌈32/lanes⌉ blocks of the 11×9 padded image; output frame: ⌈40/lanes⌉ blocks of 9×7; lanes floats per position.
        long frames = ((32 + lanes - 1) / lanes * 11 * 9 + (40 + lanes - 1) / lanes * 9 * 7) * lanes;
        Assert.Equal(4 * frames, summary.Rows[0].WorkspaceBytes);
        Assert.Equal(("Direct", ""), (summary.Rows[0].Algorithm, summary.Rows[1].Algorithm));
        Assert.Contains("Algorithm", summary.ToString(), StringComparison.Ordinal);
        Assert.Contains("Direct", summary.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Convolution_variants_follow_the_stated_conventions()
    {
        var model = new Sequential(
            new Conv2d(4, 8, 1, random: new RandomSource(1)),
            new Conv2d(8, 6, 3, groups: 2, bias: false, random: new RandomSource(1)),
            new ConvTranspose2d(6, 4, 3, stride: 2, random: new RandomSource(1)),
            new AdaptiveAvgPool2d(3));
        Pin(model, ConvolutionAlgorithm.Im2Col);
        ModelSummary summary = ModelSummary.Of(model, new Shape(1, 4, 5, 5));
        Assert.Equal(
            [
                // Pointwise: 8 outputs per position, 4 multiply-adds each, plus bias; no column buffer.
                (8L * 25 * (2 * 4 + 1), 0L),
                // Grouped: each of 6·3·3 outputs sees 8/2 channels × 9 taps; no bias. Columns: C_in·K·OutPlane.
                (6L * 9 * 2 * (8 / 2) * 9, 4L * 8 * 9 * 9),
                // Transposed: each of the 6·3·3 inputs scatters 4·9 multiply-adds; bias on 4·7·7 outputs.
                // Its adjoint convolution's columns: C_out·K·InPlane.
                (2L * 6 * 9 * 4 * 9 + 4 * 7 * 7, 4L * 4 * 9 * 9),
                // Adaptive bins of 7 into 3: [0,3), [2,5), [4,7): 9 rows and 9 columns per plane.
                (4L * 9 * 9, 0L),
            ],
            summary.Rows.Select(r => (r.Flops, r.WorkspaceBytes)));
    }

    [Fact]
    public void Pooling_counts_every_window_element_and_elementwise_layers_every_output()
    {
        var model = new Sequential(new AvgPool2d(3, stride: 2, padding: 1), new BatchNorm2d(2), new Sigmoid(), new Dropout(), new Flatten());
        ModelSummary summary = ModelSummary.Of(model, new Shape(3, 2, 6, 6));
        int outputs = 3 * 2 * 3 * 3;
        Assert.Equal([outputs * 9L, outputs, outputs, outputs, 0], summary.Rows.Select(r => r.Flops));
        Assert.Equal(2 * 2 + 1, summary.Rows[1].Buffers);
        Assert.Equal(2 * 2, summary.TrainableParameters);
        Assert.Equal(4L * outputs * 4, summary.ActivationBytes);
    }

    [Fact]
    public void A_single_layer_model_has_one_unnamed_row()
    {
        ModelSummary summary = ModelSummary.Of(new Linear(3, 2, random: new RandomSource(1)), new Shape(5, 3));
        ModelSummaryRow row = Assert.Single(summary.Rows);
        Assert.Equal(("", "Linear", 5L * 2 * (2 * 3 + 1)), (row.Name, row.Type, row.Flops));
    }

    [Fact]
    public void A_shape_a_layer_refuses_is_reported_with_the_layer_path()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelSummary.Of(Zoo("fashion-cnn"), new Shape(1, 3, 28, 28)));
        Assert.Contains("layer \"0\" (Conv2d) cannot take input [1, 3, 28, 28]", ex.Message, StringComparison.Ordinal);
        Assert.Contains("expected input [N, 1, H, W]", ex.Message, StringComparison.Ordinal);
        var nested = new Sequential(new Residual(new Sequential(new Linear(4, 4, random: new RandomSource(1)))));
        ex = Assert.Throws<ArgumentException>(() => ModelSummary.Of(nested, new Shape(2, 5)));
        Assert.Contains("layer \"0.body.0\" (Linear)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_table_lists_rows_and_totals()
    {
        string table = ModelSummary.Of(Zoo("fashion-cnn"), new Shape(1, 1, 28, 28)).ToString();
        string[] lines = table.Split(Environment.NewLine);
        Assert.StartsWith("Layer", lines[0], StringComparison.Ordinal);
        Assert.Matches(@"^7\s+Linear\s+\[1, 128\]\s+401,536\s+802,944\s+-$", lines[8]);
        Assert.Contains("Input [1, 1, 28, 28] -> output [1, 10]", table, StringComparison.Ordinal);
        Assert.Contains("Parameters: 454,922 (454,922 trainable), 1.7 MiB", table, StringComparison.Ordinal);
        Assert.Contains("Forward FLOPs: 22,243,338", table, StringComparison.Ordinal);
    }
}
