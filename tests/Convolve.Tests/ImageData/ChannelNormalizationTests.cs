using Convolve.Data;
using Convolve.Tensors;

namespace Convolve.Tests.ImageData;

/// <summary>Per-channel statistics and normalisation of a <see cref="Dataset"/>, and the black value augmentation pads with.</summary>
public class ChannelNormalizationTests
{
    [Fact]
    public void Each_channel_gets_its_own_mean_and_standard_deviation()
    {
        var images = Tensor.RandomUniform(new Shape(4, 3, 5, 6), 11);
        var set = new Dataset(images, [0, 1, 0, 1], 2);
        var (mean, std) = set.ComputeChannelMeanStd();
        for (int c = 0; c < 3; c++)
        {
            double[] values = [.. Enumerable.Range(0, 4).SelectMany(n => images.Data.Skip((n * 3 + c) * 30).Take(30)).Select(v => (double)v)];
            Assert.Equal(values.Average(), mean[c], 12);
            Assert.Equal(Math.Sqrt(values.Select(v => (v - values.Average()) * (v - values.Average())).Average()), std[c], 12);
        }
        float before = images.Data[(2 * 3 + 1) * 30 + 7];
        set.Normalize(mean, std);
        Assert.Equal((before - (float)mean[1]) / (float)std[1], set.Images.Data[(2 * 3 + 1) * 30 + 7]);
        Assert.Equal([.. mean.Zip(std, (m, s) => -(float)m / (float)s)], set.ZeroPixelValues);
        Assert.Throws<InvalidOperationException>(() => set.Normalize(mean, std));
    }

    [Fact]
    public void One_channel_statistics_equal_the_whole_sets()
    {
        var set = new Dataset(Tensor.RandomNormal(new Shape(3, 1, 4, 4), 12), [0, 0, 0], 1);
        var (mean, std) = set.ComputeChannelMeanStd();
        Assert.Equal(set.ComputeMeanStd(), (mean[0], std[0]));
    }

    [Fact]
    public void The_random_crop_pads_each_channel_with_its_own_black()
    {
        var set = new Dataset(Tensor.Full(new Shape(1, 2, 4, 4), 0.5f), [0], 1);
        set.Normalize([0.25, 0.75], [0.5, 0.25]);
        var loader = new DataLoader(set, 1, shuffle: false, seed: 3, augment: new Augmentation(cropPadding: 3));
        float[] black = set.ZeroPixelValues;
        Assert.Equal([-0.5f, -3f], black);
        bool padded = false;
        for (int draw = 0; draw < 20 && !padded; draw++)
        {
            float[] batch = loader.NextBatch().Images.Data;
            for (int c = 0; c < 2; c++)
            {
                float inside = c == 0 ? 0.5f : -1f;
                Assert.All(batch.Skip(c * 16).Take(16), v => Assert.True(v == inside || v == black[c], $"channel {c}: {v}"));
                padded |= batch.Skip(c * 16).Take(16).Contains(black[c]);
            }
        }
        Assert.True(padded, "no draw of the crop reached the padding");
    }
}
