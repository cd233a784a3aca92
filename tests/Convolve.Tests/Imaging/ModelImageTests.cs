using Convolve.Imaging;
using Convolve.Tensors;

namespace Convolve.Tests.Imaging;

/// <summary>The documented conversion of a picture file to a model input.</summary>
public sealed class ModelImageTests : IDisposable
{
    private readonly PictureFiles files = new();

    public void Dispose() => files.Dispose();

    [Theory]
    [InlineData(0, 0.299f)]
    [InlineData(1, 0.587f)]
    [InlineData(2, 0.114f)]
    public void A_pure_primary_becomes_its_BT601_weight_in_gray_then_is_normalised(int channel, float weight)
    {
        var picture = new Tensor(new Shape(3, 40, 30));
        picture.Span.Slice(channel * 1200, 1200).Fill(1f);
        string path = files.Write($"primary{channel}.png", picture);
        Tensor input = ModelImage.Load(path, 1, 28, 28, mean: 0.25, std: 0.5);
        Assert.Equal(new Shape(1, 1, 28, 28), input.Shape);
        // A uniform picture stays uniform through any resampling.
        Assert.All(input.Data, v => Assert.Equal((weight - 0.25f) / 0.5f, v, 1e-5f));
        Tensor inverted = ModelImage.Load(path, 1, 28, 28, mean: 0.25, std: 0.5, invert: true);
        Assert.All(inverted.Data, v => Assert.Equal((1f - weight - 0.25f) / 0.5f, v, 1e-5f));
    }

    [Fact]
    public void An_rgb_model_gets_the_resized_channels_and_a_bad_channel_count_is_refused()
    {
        Tensor picture = PictureFiles.Gradient(56, 56);
        string path = files.Write("gradient.png", picture);
        Tensor input = ModelImage.Load(path, 3, 28, 28, mean: 0, std: 1);
        Assert.Equal(new Shape(1, 3, 28, 28), input.Shape);
        // The red channel ramps left to right and the blue top to bottom; halving keeps the ramps.
        Assert.True(input[0, 0, 5, 2] < input[0, 0, 5, 25] && input[0, 2, 2, 5] < input[0, 2, 25, 5]);
        Assert.Equal(0.5f, input.Data.Take(28 * 28).Average(), 0.02f);
        var ex = Assert.Throws<ArgumentException>(() => ModelImage.Load(path, 2, 28, 28, 0, 1));
        Assert.Contains("1 (gray) or 3 (RGB) input channels, not 2", ex.Message, StringComparison.Ordinal);
    }
}
