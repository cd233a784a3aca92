using System.CommandLine;
using System.Globalization;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Cli.Commands;

/// <summary>
/// <c>convolve visualize deconv MODEL --layer NAME</c>: Zeiler &amp; Fergus's deconvnet. For each chosen
/// channel of the layer, the top-k images of a set by strongest activation, each activation
/// projected back to pixel space; one PNG per channel (projections left, receptive-field patches
/// right) and an overview of all channels.
/// </summary>
internal static class VisualizeDeconvCommand
{
    private static readonly Dictionary<string, ProjectionMethod> Methods = new()
    {
        ["deconvnet"] = ProjectionMethod.Deconvnet,
        ["guided"] = ProjectionMethod.GuidedBackprop,
        ["gradient"] = ProjectionMethod.Gradient,
    };

    public static Command Create(CliContext context)
    {
        var model = VisualizeCommand.ModelArgument();
        var layer = new Option<string>("--layer", "-l") { Description = "The layer: its module path as convolve summary prints it (3, 4.body.0) or convK for the K-th convolution", Required = true };
        var channels = new Option<string?>("--channels", "-c") { Description = "Channels to show, e.g. 0-15 or 0,4,8-11 (default: the first 16)" };
        var top = new Option<int>("--top", "-k") { Description = "Images per channel", DefaultValueFactory = _ => 9 };
        var method = new Option<string>("--method") { Description = "How to go back: deconvnet (Zeiler & Fergus), guided (guided backpropagation) or gradient", DefaultValueFactory = _ => "deconvnet" };
        CliOptions.AcceptOnly(method, [.. Methods.Keys]);
        var output = new Option<string?>("--output", "-o") { Description = "Folder for channel-NN.png and overview.png (default deconv-LAYER)" };
        var overwrite = VisualizeCommand.Overwrite();
        var set = new Option<string>("--set") { Description = "The set searched: test or train", DefaultValueFactory = _ => "test" };
        CliOptions.AcceptOnly(set, "test", "train");
        var limit = new Option<int?>("--limit") { Description = "Search only the first N images" };
        var data = new Option<string?>("--data") { Description = "Folder with the IDX files (default: as convolve train finds them)" };
        var command = new Command("deconv", "Project each channel's strongest activations on its top-k images back to pixel space (Zeiler & Fergus's deconvnet) and write a PNG grid per channel.")
        {
            model, layer, channels, top, method, output, overwrite, set, limit, data,
        };
        command.SetAction(parsed =>
        {
            var input = ModelInput.Load(parsed.GetValue(model)!.FullName);
            NamedLayer target = NetworkLayers.Find(input.Model, parsed.GetValue(layer)!);
            string folder = parsed.GetValue(output) ?? $"deconv-{(target.Alias ?? target.Path).Replace('.', '-')}";
            OutputFiles.RequireFolder(folder, "--output");
            Dataset images = TrainingData.Take(input.LoadData(parsed.GetValue(data), parsed.GetValue(set) == "train"), parsed.GetValue(limit));
            int count = ForwardTrace.Run(input.Model, ImageChoice.FromSet(input, images, 0, "").Input, target.Layer).Output.Shape[1];
            string? list = parsed.GetValue(channels);
            int[] chosen = list is null ? Enumerable.Range(0, Math.Min(16, count)).ToArray() : ChannelList.Parse(list, count, "--channels", target.Display);
            int k = parsed.GetValue(top);
            if (k < 1 || k > images.Count)
            {
                throw new UserErrorException($"--top must be in [1, {images.Count}] (the images searched) but got {k}");
            }
            OutputFiles.RequireNoneIn(folder, [.. chosen.Select(ChannelFile), OverviewFile], "--output", parsed.GetValue(overwrite));
            var files = new OutputFiles();
            Render(context, input, images, target, chosen, k, Methods[parsed.GetValue(method)!], folder, files);
            files.Commit(context.Output);
            return CliApp.Success;
        });
        return command;
    }

    private static void Render(CliContext context, ModelInput input, Dataset images, NamedLayer target, int[] channels, int top, ProjectionMethod method, string folder, OutputFiles files)
    {
        var c = CultureInfo.InvariantCulture;
        context.Output.WriteLine(string.Create(c, $"layer {target.Display}: top {top} of {images.Count:N0} images for {channels.Length} channel(s), projected by {method}"));
        var ranking = TopActivations.Find(input.Model, target.Layer, images.Images, channels, top);
        var figures = new List<Tensor>();
        Tensor PictureOf(int index) => ImageChoice.FromSet(input, images, index, "").Picture;
        for (int i = 0; i < channels.Length; i++)
        {
            var projections = ranking[i]
                .Select(site => Deconvnet.Project(input.Model, target.Layer, ImageChoice.FromSet(input, images, site.ImageIndex, "").Input, site.ImageIndex, channels[i], method))
                .ToList();
            string caption = $"{target.Alias ?? target.Path} CHANNEL {channels[i]}";
            Tensor figure = DeconvnetFigure.Channel(caption, projections, PictureOf);
            figures.Add(figure);
            files.Add(Path.Combine(folder, ChannelFile(channels[i])), ImageFile.EncodePng(figure));
            string tops = string.Join(", ", ranking[i].Take(5).Select(s => string.Create(c, $"{s.ImageIndex} {input.ClassName(images.Labels[s.ImageIndex])} {s.Value:F2}")));
            context.Output.WriteLine($"  channel {channels[i]}: {tops}{(ranking[i].Length > 5 ? ", …" : "")}");
        }
        files.Add(Path.Combine(folder, OverviewFile), ImageFile.EncodePng(DeconvnetFigure.Overview(figures)));
    }

    private const string OverviewFile = "overview.png";

    private static string ChannelFile(int channel) => string.Create(CultureInfo.InvariantCulture, $"channel-{channel:D2}.png");
}
