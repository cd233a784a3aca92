using Convolve.Layers;
using Convolve.Models;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>Layer names, receptive fields and the top-activation search.</summary>
public class FeatureSearchTests
{
    [Fact]
    public void Layers_are_named_by_module_path_with_conv_aliases_and_an_unknown_name_lists_them()
    {
        Sequential model = ModelZoo.Create("fashion-cnn");
        Assert.Equal("3", NetworkLayers.Find(model, "conv2").Path);
        Assert.Same(model[3], NetworkLayers.Find(model, "3").Layer);
        Assert.Same(model[7], NetworkLayers.Find(model, "7").Layer);
        var ex = Assert.Throws<ArgumentException>(() => NetworkLayers.Find(model, "conv9"));
        Assert.Contains("the model has no layer \"conv9\"; its layers are 0 (conv1, Conv2d), 1 (ReLU), 2 (MaxPool2d), 3 (conv2, Conv2d)", ex.Message, StringComparison.Ordinal);
        var resnet = NetworkLayers.Of(ModelZoo.Create("resnet-small"));
        Assert.Contains(resnet, l => l.Path == "5.shortcut.0" && l.Alias is not null);
        Assert.Contains(resnet, l => l.Path == "5" && l.Layer is Residual);
    }

    [Fact]
    public void A_conv2_field_of_fashion_cnn_is_14_pixels_wide_and_clipped_at_the_border()
    {
        // conv2 output p reads pool1 [p − 2, p + 2], which reads conv1 [2p − 4, 2p + 5], which reads pixels [2p − 6, 2p + 7].
        Sequential model = ModelZoo.Create("fashion-cnn");
        ForwardTrace trace = ForwardTrace.Run(model, new Tensor(new Shape(1, 1, 28, 28)), model[3]);
        InputBox middle = ReceptiveField.Of(trace, [7, 5]);
        Assert.Equal([8, 4], middle.Start);
        Assert.Equal([22, 18], middle.End);
        InputBox corner = ReceptiveField.Of(trace, [0, 13]);
        Assert.Equal([0, 20], corner.Start);
        Assert.Equal([8, 28], corner.End);
        Assert.Equal([-6, 20], corner.NominalStart);
        Assert.Equal(14, corner.NominalSize(0));
    }

    [Fact]
    public void Without_rectifiers_or_max_pooling_the_gradient_fills_exactly_the_field()
    {
        var target = new Conv2d(2, 2, 3, dilation: 2, random: new RandomSource(3));
        var model = new Sequential(new Conv2d(1, 2, 3, stride: 2, padding: 1, random: new RandomSource(2)), new AvgPool2d(2, stride: 1), target);
        ForwardTrace trace = ForwardTrace.Run(model, Tensor.RandomNormal(new Shape(1, 1, 17, 17), 4), target);
        foreach (int[] position in new[] { new[] { 0, 0 }, [2, 1], [3, 3] })
        {
            var signal = new Tensor(trace.Output.Shape);
            int size = trace.Output.Shape[3];
            signal.Data[size * size + position[0] * size + position[1]] = 1f;
            Tensor gradient = new Projector(ProjectionMethod.Gradient).Project(trace, signal);
            InputBox box = ReceptiveField.Of(trace, position);
            for (int y = 0; y < 17; y++)
            {
                for (int x = 0; x < 17; x++)
                {
                    bool inside = y >= box.Start[0] && y < box.End[0] && x >= box.Start[1] && x < box.End[1];
                    Assert.True(inside == (gradient.Data[y * 17 + x] != 0f), $"pixel ({y}, {x}) for position ({position[0]}, {position[1]}): inside {inside}");
                }
            }
        }
    }

    [Fact]
    public void The_top_images_of_a_channel_are_those_with_the_largest_single_activation()
    {
        Sequential model = ModelZoo.Create("lenet5", random: new RandomSource(5));
        var images = Tensor.RandomNormal(new Shape(23, 1, 28, 28), 6);
        var found = TopActivations.Find(model, model[3], images, [0, 15], top: 4, batchSize: 5);
        for (int c = 0; c < 2; c++)
        {
            int channel = c == 0 ? 0 : 15;
            var expected = Enumerable.Range(0, 23)
                .Select(i => (Index: i, Max: ForwardTrace.Run(model, Slice(images, i), model[3]).Output.Data.Skip(channel * 100).Take(100).Max()))
                .OrderByDescending(e => e.Max).ThenBy(e => e.Index).Take(4).ToArray();
            Assert.Equal(expected.Select(e => e.Index), found[c].Select(s => s.ImageIndex));
            Assert.Equal(expected.Select(e => e.Max), found[c].Select(s => s.Value));
            FeatureProjection projection = Deconvnet.Project(model, model[3], Slice(images, found[c][0].ImageIndex), found[c][0].ImageIndex, channel);
            Assert.Equal(found[c][0].Position, projection.Site.Position);
        }
        var ex = Assert.Throws<ArgumentException>(() => TopActivations.Find(model, model[3], images, [16], top: 1));
        Assert.Contains("channel 16 is out of range: layer Conv2d has 16 channels (0-15)", ex.Message, StringComparison.Ordinal);
    }

    internal static Tensor Slice(Tensor images, int index)
    {
        int item = images.Shape.SizeFrom(1);
        return new Tensor(new Shape([1, .. images.Shape.Dimensions[1..]]), images.Data.AsSpan(index * item, item).ToArray());
    }
}
