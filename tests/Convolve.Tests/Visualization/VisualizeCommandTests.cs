using Convolve.Cli;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Tensors;
using Convolve.Tests.Cli;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>The visualize commands end to end on the bundled sample: the PNGs they write, read back, and their errors.</summary>
public sealed class VisualizeCommandTests(SavedModel model) : IClassFixture<SavedModel>, IDisposable
{
    private readonly string output = Directory.CreateTempSubdirectory("convolve-visualize-out-").FullName;

    private static string Sample => DatasetLocator.SampleDirectory;

    public void Dispose() => Directory.Delete(output, recursive: true);

    private string Out(string name) => Path.Combine(output, name);

    [Fact]
    public void Deconv_writes_a_grid_per_channel_and_an_overview_that_read_back_as_the_figures()
    {
        string folder = Out("deconv");
        var run = CliRunner.Run("visualize", "deconv", model.Path, "--layer", "conv2", "--channels", "2,5-6", "--top", "4", "--limit", "60", "--data", Sample, "-o", folder);
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Equal(["channel-02.png", "channel-05.png", "channel-06.png", "overview.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order());
        // A conv2 field is 14 pixels, zoomed 64/14 = 4 times: two 56-pixel cells and a 2-pixel gap per grid, grids 10 apart, a 10-pixel caption.
        Tensor read = ImageFile.ReadRgb(Path.Combine(folder, "channel-05.png"));
        Assert.Equal(new Shape(3, 10 + 114, 114 + 10 + 114), read.Shape);
        Tensor expected = ExpectedChannelFigure(5, 4, 60);
        for (int i = 0; i < expected.Size; i++)
        {
            Assert.Equal(MathF.Round(expected.Data[i] * 255f) / 255f, read.Data[i], 1e-6f);
        }
        Assert.Contains("layer 3 (conv2, Conv2d): top 4 of 60 images for 3 channel(s)", run.Output, StringComparison.Ordinal);
    }

    private Tensor ExpectedChannelFigure(int channel, int top, int limit)
    {
        ModelInput input = ModelInput.Load(model.Path);
        Dataset images = TrainingData.Take(input.LoadData(Sample, false), limit);
        NamedLayer conv2 = NetworkLayers.Find(input.Model, "conv2");
        var sites = TopActivations.Find(input.Model, conv2.Layer, images.Images, [channel], top)[0];
        var projections = sites.Select(s => Deconvnet.Project(input.Model, conv2.Layer, FeatureSearchTests.Slice(images.Images, s.ImageIndex), s.ImageIndex, channel)).ToList();
        return DeconvnetFigure.Channel($"conv2 CHANNEL {channel}", projections,
            i => DisplayScaling.Unnormalize(FeatureSearchTests.Slice(images.Images, i).Reshape(1, 28, 28), input.Mean, input.Std));
    }

    [Fact]
    public void Filters_features_and_saliency_write_pictures_of_the_expected_sizes()
    {
        var filters = CliRunner.Run("visualize", "filters", model.Path, "-o", Out("filters.png"));
        Assert.True(filters.ExitCode == 0, filters.Error);
        // 32 kernels 5×5 zoomed 8 times in 6 columns and 6 rows, 3 pixels apart, under a 10-pixel caption.
        Assert.Equal(new Shape(3, 10 + 6 * 40 + 5 * 3, 6 * 40 + 5 * 3), ImageFile.ReadRgb(Out("filters.png")).Shape);
        var summed = CliRunner.Run("visualize", "filters", model.Path, "--layer", "3", "-o", Out("conv2.png"));
        Assert.True(summed.ExitCode == 0, summed.Error);
        Assert.Contains("64 kernels of 32×5×5, summed over their input channels", summed.Output, StringComparison.Ordinal);

        ImageFile.WritePng(Out("picture.png"), Imaging.PictureFiles.Gradient(50, 40));
        var features = CliRunner.Run("visualize", "features", model.Path, "--image", Out("picture.png"), "-o", Out("features.png"));
        Assert.True(features.ExitCode == 0, features.Error);
        Assert.True(ImageFile.ReadRgb(Out("features.png")).Shape[1] > 500);

        var saliency = CliRunner.Run("visualize", "saliency", model.Path, "--index", "3", "--data", Sample, "-o", Out("saliency.png"));
        Assert.True(saliency.ExitCode == 0, saliency.Error);
        Assert.Contains("test image 3 (", saliency.Output, StringComparison.Ordinal);
        // Four 112-pixel panels (28 zoomed 4 times) with 10-pixel captions, 12 apart, under the 10-pixel caption.
        Tensor read = ImageFile.ReadRgb(Out("saliency.png"));
        Assert.Equal(10 + 10 + 112, read.Shape[1]);
        Assert.True(read.Shape[2] >= 4 * 112 + 3 * 12);
    }

    public static TheoryData<string[], string> BadInput => new()
    {
        { ["visualize", "deconv", "MODEL", "--layer", "conv3"], "the model has no layer \"conv3\"; its layers are 0 (conv1, Conv2d), 1 (ReLU)" },
        { ["visualize", "deconv", "MODEL", "--layer", "conv2", "--channels", "60-64"], "--channels 60-64 is out of range: layer 3 (conv2, Conv2d) has 64 channels (0-63)" },
        { ["visualize", "deconv", "MODEL", "--layer", "0", "--channels", "3-1"], "--channels: the range 3-1 runs backwards" },
        { ["visualize", "deconv", "MODEL", "--layer", "0", "--top", "0"], "--top must be in [1, 1000] (the images searched) but got 0" },
        { ["visualize", "filters", "MODEL", "--layer", "1"], "--layer 1: layer 1 (ReLU) has no kernels; the convolutions are 0 (conv1, Conv2d), 3 (conv2, Conv2d)" },
        { ["visualize", "saliency", "MODEL", "--class", "10"], "--class must be in [0, 10) but got 10" },
        { ["visualize", "features", "MODEL", "--index", "1000"], "--index must be in [0, 1000) for the test set but got 1000" },
        { ["visualize", "features", "MODEL", "--image", "PICTURE", "--index", "2"], "give either --image or --index, not both" },
        { ["visualize", "features", "MODEL", "--image", "TRUNCATED"], "truncated PNG: the IDAT chunk at byte" },
        { ["predict", "MODEL", "TRUNCATED"], "truncated PNG: the IDAT chunk at byte" },
        { ["visualize", "saliency", "MODEL", "--image", "CORRUPT"], "corrupt PNG: the CRC of the IDAT chunk" },
        { ["visualize", "features", "MODEL", "--image", "MISSING"], "file not found: " },
        { ["visualize", "filters", "MODEL", "-o", "OUT/filters.jpg"], "--output must name a .png file but got" },
    };

    [Theory]
    [MemberData(nameof(BadInput))]
    public void Bad_input_is_one_line_exit_2_and_writes_nothing(string[] args, string expected)
    {
        byte[] png = ImageFile.EncodePng(Imaging.PictureFiles.Gradient());
        int data = png.AsSpan().IndexOf("IDAT"u8) - 4;
        File.WriteAllBytes(Out("picture.png"), png);
        File.WriteAllBytes(Out("truncated.png"), png[..(data + 30)]);
        byte[] corrupt = (byte[])png.Clone();
        corrupt[data + 12] ^= 0x40;
        File.WriteAllBytes(Out("corrupt.png"), corrupt);
        string[] before = Directory.GetFiles(output);
        string[] resolved = args.Select(a => a switch
        {
            "MODEL" => model.Path,
            "PICTURE" => Out("picture.png"),
            "TRUNCATED" => Out("truncated.png"),
            "CORRUPT" => Out("corrupt.png"),
            "MISSING" => Out("missing.png"),
            _ => a.Replace("OUT", output, StringComparison.Ordinal),
        }).Concat(args[1] == "filters" ? [] : ["--data", Sample]).Concat(args.Contains("-o") || args[0] == "predict" ? [] : ["-o", Out(args[1] == "deconv" ? "folder" : "out.png")]).ToArray();
        var run = CliRunner.Run(resolved);
        Assert.Equal(2, run.ExitCode);
        Assert.Contains(expected, run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.TrimEnd().Split('\n'));
        Assert.Equal(before, Directory.GetFiles(output));
        Assert.Empty(Directory.GetDirectories(output));
    }

    [Fact]
    public void Predict_classifies_a_picture_file()
    {
        ImageFile.WritePng(Out("picture.png"), Imaging.PictureFiles.Gradient(64, 48));
        var run = CliRunner.Run("predict", model.Path, Out("picture.png"), "--top", "4", "--invert");
        Assert.True(run.ExitCode == 0, run.Error);
        Assert.Contains("resized to 28×28 gray, inverted, normalised with mean 0.2860 and std 0.3530", run.Output, StringComparison.Ordinal);
        Assert.Equal(4, run.Output.Split('\n').Count(line => line.Contains(" %", StringComparison.Ordinal)));
    }
}
