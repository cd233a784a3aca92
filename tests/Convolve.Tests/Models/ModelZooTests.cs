using Convolve.Layers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Diagnostics;
using Convolve.Tensors;

namespace Convolve.Tests.Models;

public class ModelZooTests
{
    public static TheoryData<string> ZooNames => ZooReference.Names();

    [Fact]
    public void Names_lists_the_seven_models_and_the_small_ones()
    {
        Assert.Equal(["lenet5", "fashion-cnn", "vgg-small", "resnet-small", "resnet18", "mobilenet-v2", "squeezenet"], ModelZoo.Names);
        Assert.Equal(["lenet5", "fashion-cnn", "vgg-small", "resnet-small"], ModelZoo.SmallNames);
        Assert.Equal(ModelZoo.Names.Order(), ZooReference.ModelNames.Order());
    }

    public static TheoryData<string> LargeNames => ZooReference.LargeNames();

    [Theory]
    [MemberData(nameof(LargeNames))]
    public void ImageNet_stems_have_the_twins_layout_architecture_and_output_shapes(string name)
    {
        Shape input = ZooReference.LargeInput;
        JsonElement reference = ZooReference.Large(name);
        Sequential model = ModelZoo.Create(name, input[1], 10, input[^1], new RandomSource(1));
        Assert.Equal(ZooReference.Entries(reference, "parameters"), model.NamedParameters().Select(p => (p.Name, p.Parameter.Shape)).ToArray());
        Assert.Equal(ZooReference.Entries(reference, "buffers"), model.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape)).ToArray());
        Assert.Equal(reference.GetProperty("numel").GetInt64(), model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size));
        string ours = ModelArchitecture.ToJson(model);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(reference.GetProperty("architecture").GetRawText()), JsonNode.Parse(ours)), $"{name}: {ours}");
        ModelSummary summary = ModelSummary.Of(model, input);
        Assert.Equal(ZooReference.Entries(reference, "output_shapes"), summary.Rows.Select(r => (r.Name, r.OutputShape)).ToArray());
    }

    [Theory]
    [MemberData(nameof(LargeNames))]
    public void ImageNet_stems_hold_torchvisions_state_dict_entries_in_order(string name)
    {
        // Names differ (positional here, torchvision's attributes there), shapes and order do not, so
        // a torchvision state_dict maps onto ours entry by entry; the script asserts the same logits.
        Shape input = ZooReference.LargeInput;
        Sequential model = ModelZoo.Create(name, input[1], 10, input[^1], new RandomSource(1));
        var torchvision = ZooReference.TorchvisionStateDict(name);
        bool IsBuffer(string entry) => entry.EndsWith(".running_mean", StringComparison.Ordinal) || entry.EndsWith(".running_var", StringComparison.Ordinal) || entry.EndsWith(".num_batches_tracked", StringComparison.Ordinal);
        Assert.Equal(torchvision.Where(e => !IsBuffer(e.Name)).Select(e => e.Shape), model.NamedParameters().Select(p => p.Parameter.Shape));
        Assert.Equal(torchvision.Where(e => IsBuffer(e.Name)).Select(e => e.Shape), model.NamedBuffers().Select(b => b.Buffer.Shape));
        Assert.Equal(torchvision.Where(e => IsBuffer(e.Name)).Select(e => e.Name[(e.Name.LastIndexOf('.') + 1)..]), model.NamedBuffers().Select(b => b.Name[(b.Name.LastIndexOf('.') + 1)..]));
    }

    [Theory]
    [InlineData("resnet18", 11_689_512)]
    [InlineData("mobilenet-v2", 3_504_872)]
    [InlineData("squeezenet", 1_235_496)]
    public void ImageNet_size_models_have_torchvisions_parameter_count(string name, long torchvision)
    {
        // The counts torchvision's documentation gives, and the ones the script measured.
        Assert.Equal(torchvision, ZooReference.TorchvisionParameterCount(name));
        Sequential model = ModelZoo.Create(name, 3, 1000, 224, new RandomSource(1));
        Assert.Equal(torchvision, model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size));
        Assert.Equal(new Shape(1, 1000), model.OutputShape(new Shape(1, 3, 224, 224)));
    }

    [Theory]
    // Below 64 pixels the CIFAR stem (stride 1, no pooling); from 64 on torchvision's (÷4 before the first stage).
    [InlineData("resnet18", 63, 512, 8)]
    [InlineData("resnet18", 64, 512, 2)]
    [InlineData("mobilenet-v2", 32, 1280, 4)]
    [InlineData("mobilenet-v2", 64, 1280, 2)]
    [InlineData("squeezenet", 32, 512, 8)]
    [InlineData("squeezenet", 64, 512, 3)]
    public void The_stem_follows_the_image_size(string name, int size, int channels, int finalMap)
    {
        Sequential model = ModelZoo.Create(name, 3, 10, size, new RandomSource(1));
        // The last Fire, mobilenet's 1×1 to 1280 channels, resnet's last ReLU: the layer before the classifier's pooling.
        int last = model.Count - name switch { "squeezenet" => 6, "mobilenet-v2" => 5, _ => 4 };
        Shape shape = new(1, 3, size, size);
        for (int i = 0; i <= last; i++)
        {
            shape = model[i].OutputShape(shape);
        }
        Assert.Equal(new Shape(1, channels, finalMap, finalMap), shape);
    }

    [Theory]
    [InlineData("resnet18")]
    [InlineData("mobilenet-v2")]
    public void Convolutions_take_torchvisions_kaiming_normal_fan_out(string name)
    {
        Sequential model = ModelZoo.Create(name, 3, 10, 32, new RandomSource(3));
        foreach (var (parameterName, parameter) in model.NamedParameters().Where(p => p.Parameter.Shape.Rank == 4 && p.Parameter.Shape.Size >= 4096))
        {
            // fan_out = out·k·k (a depthwise weight [c, 1, 3, 3] has fan_out c·9); σ = √2/√fan_out.
            double expected = Math.Sqrt(2.0 / (parameter.Shape[0] * parameter.Shape[2] * parameter.Shape[3]));
            double std = Math.Sqrt(parameter.Value.Data.Average(v => (double)v * v));
            Assert.InRange(std / expected, 0.9, 1.1);
        }
        if (name == "mobilenet-v2")
        {
            Linear classifier = model.OfType<Linear>().Single();
            Assert.InRange(Math.Sqrt(classifier.Weight.Value.Data.Average(v => (double)v * v)), 0.009, 0.011);
            Assert.All(classifier.Bias!.Value.Data, b => Assert.Equal(0f, b));
        }
    }

    [Fact]
    public void Squeezenets_final_convolution_is_small_and_every_bias_zero()
    {
        Sequential model = ModelZoo.Create("squeezenet", 3, 10, 32, new RandomSource(3));
        Assert.All(model.NamedParameters().Where(p => p.Name.EndsWith(".bias", StringComparison.Ordinal)), p => Assert.All(p.Parameter.Value.Data, b => Assert.Equal(0f, b)));
        Conv2d final = model.OfType<Conv2d>().Last();
        Assert.InRange(Math.Sqrt(final.Weight.Value.Data.Average(v => (double)v * v)), 0.009, 0.011);
        // kaiming_uniform_(a=0): bound √6/√fan_in, σ = √2/√fan_in; squeeze of the last Fire: fan_in 512.
        Graph fire = model.OfType<Graph>().Last();
        var squeeze = (Conv2d)fire.Nodes[0].Layer;
        double std = Math.Sqrt(squeeze.Weight.Value.Data.Average(v => (double)v * v));
        Assert.InRange(std / Math.Sqrt(2.0 / 512), 0.9, 1.1);
    }


    [Theory]
    [MemberData(nameof(ZooNames))]
    public void Parameters_and_buffers_have_PyTorchs_names_and_shapes(string name)
    {
        Sequential model = ModelZoo.Create(name, random: new RandomSource(1));
        Assert.Equal(ZooReference.Parameters(name), model.NamedParameters().Select(p => (p.Name, p.Parameter.Shape)).ToArray());
        Assert.Equal(ZooReference.Buffers(name), model.NamedBuffers().Select(b => (b.Name, b.Buffer.Shape)).ToArray());
        Assert.Equal(ZooReference.ParameterCount(name), model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size));
    }

    [Fact]
    public void Fashion_cnn_has_the_state_dict_names_of_PyTorchs_sequential()
    {
        Sequential model = ModelZoo.Create("fashion-cnn", random: new RandomSource(1));
        Assert.Equal(
            ["0.weight", "0.bias", "3.weight", "3.bias", "7.weight", "7.bias", "9.weight", "9.bias"],
            model.NamedParameters().Select(p => p.Name));
        // 32·1·5·5 + 32, 64·32·5·5 + 64, 3136·128 + 128, 128·10 + 10.
        Assert.Equal(832 + 51_264 + 401_536 + 1_290, model.NamedParameters().Sum(p => p.Parameter.Value.Size));
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void A_training_step_runs_and_gives_one_logit_per_class(string name)
    {
        Sequential model = ModelZoo.Create(name, random: new RandomSource(2));
        var input = Tensor.RandomNormal(new Shape(2, 1, 28, 28), 3);
        Tensor logits = model.Forward(input);
        Assert.Equal(new Shape(2, 10), logits.Shape);
        var loss = new CrossEntropyLoss();
        double value = loss.Forward(logits, [3, 7]);
        Assert.True(double.IsFinite(value), $"{name}: loss {value}");
        model.Backward(loss.Backward());
        Assert.All(model.NamedParameters(), p => Assert.True(p.Parameter.Grad.Data.All(float.IsFinite), p.Name));
        Assert.Contains(model.NamedParameters(), p => p.Parameter.Grad.Data.Any(g => g != 0f));
    }

    [Theory]
    [MemberData(nameof(ZooNames))]
    public void The_seed_fixes_every_initial_value(string name)
    {
        float[] Values(ulong seed) => ModelZoo.Create(name, random: new RandomSource(seed)).NamedParameters().SelectMany(p => p.Parameter.Value.Data).ToArray();
        Assert.Equal(Values(5), Values(5));
        Assert.NotEqual(Values(5), Values(6));
    }

    [Theory]
    // LeNet-5 on 32×32: conv pad 2 keeps 32, pool 16, conv 5×5 gives 12, pool 6: 16·6·6 = 576 features.
    [InlineData("lenet5", 576)]
    // Two "same" convolutions and two poolings: 32 → 16 → 8, 64·8·8 = 4096.
    [InlineData("fashion-cnn", 4096)]
    [InlineData("vgg-small", 4096)]
    // Global average pooling leaves the 64 channels of the last stage.
    [InlineData("resnet-small", 64)]
    public void Other_channels_classes_and_sizes_reshape_the_classifier(string name, int features)
    {
        Sequential model = ModelZoo.Create(name, inChannels: 3, classes: 5, imageSize: 32, random: new RandomSource(1));
        Linear firstLinear = model.OfType<Linear>().First();
        Assert.Equal(features, firstLinear.InFeatures);
        Assert.Equal(3, model.NamedParameters().First().Parameter.Shape[1]);
        Assert.Equal(new Shape(4, 5), model.OutputShape(new Shape(4, 3, 32, 32)));
    }

    [Fact]
    public void Resnet_small_has_an_identity_then_two_projection_shortcuts()
    {
        Sequential model = ModelZoo.Create("resnet-small", random: new RandomSource(1));
        Residual[] blocks = model.OfType<Residual>().ToArray();
        Assert.Equal(3, blocks.Length);
        Assert.Null(blocks[0].Shortcut);
        Conv2d projection = Assert.IsType<Conv2d>(Assert.IsType<Sequential>(blocks[1].Shortcut)[0]);
        Assert.Equal([2, 2], projection.Geometry.Stride);
        Assert.Equal([1, 1], projection.Geometry.Kernel);
        Assert.All(model.Skip(3).Take(6), (layer, i) => Assert.IsType(i % 2 == 0 ? typeof(Residual) : typeof(ReLU), layer));
    }

    [Fact]
    public void Unknown_name_lists_the_known_ones()
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create("alexnet"));
        Assert.Contains("unknown model \"alexnet\"", ex.Message, StringComparison.Ordinal);
        Assert.Contains("lenet5, fashion-cnn, vgg-small, resnet-small", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_are_case_insensitive()
    {
        Assert.Equal(12, ModelZoo.Create("LeNet5", random: new RandomSource(1)).Count);
    }

    [Theory]
    [InlineData(0, 10, 28, "inChannels must be positive but got 0")]
    [InlineData(1, -2, 28, "classes must be positive but got -2")]
    [InlineData(1, 10, 0, "imageSize must be positive but got 0")]
    public void Non_positive_sizes_are_refused(int inChannels, int classes, int imageSize, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create("lenet5", inChannels, classes, imageSize));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    // 8 → pool 4 → the 5×5 valid convolution does not fit.
    [InlineData("lenet5", 8, "lenet5 cannot take 8×8 images")]
    // 3 → pool 1 → pool of 1 with a 2×2 window does not fit.
    [InlineData("fashion-cnn", 3, "fashion-cnn cannot take 3×3 images")]
    [InlineData("vgg-small", 2, "vgg-small cannot take 2×2 images")]
    public void Images_too_small_for_the_architecture_are_refused(string name, int imageSize, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => ModelZoo.Create(name, imageSize: imageSize));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("kernel extent", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Smallest_sizes_that_fit_are_accepted()
    {
        // lenet5: 10 → 5 → 1 → pool of 1 needs 2; 12 → 6 → 2 → 1 is the first size that works.
        Assert.Throws<ArgumentException>(() => ModelZoo.Create("lenet5", imageSize: 11));
        Assert.Equal(16, ModelZoo.Create("lenet5", imageSize: 12, random: new RandomSource(1)).OfType<Linear>().First().InFeatures);
        Assert.Equal(64, ModelZoo.Create("fashion-cnn", imageSize: 4, random: new RandomSource(1)).OfType<Linear>().First().InFeatures);
        Assert.Equal(new Shape(2, 10), ModelZoo.Create("resnet-small", imageSize: 1, random: new RandomSource(1)).OutputShape(new Shape(2, 1, 1, 1)));
    }
}
