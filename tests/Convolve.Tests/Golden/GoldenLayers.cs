using Convolve.Layers;

namespace Convolve.Tests.Golden;

/// <summary>Maps a golden case's kind and PyTorch options onto the Convolve constructor of the same name.</summary>
public static class GoldenLayers
{
    public static Layer Build(GoldenCase c) => c.Kind switch
    {
        "Conv1d" => new Conv1d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.PaddingOf("padding"), c.IntsOf("dilation"), c.IntOf("groups"), c.BoolOf("bias")),
        "Conv2d" => new Conv2d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.PaddingOf("padding"), c.IntsOf("dilation"), c.IntOf("groups"), c.BoolOf("bias")),
        "Conv3d" => new Conv3d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.PaddingOf("padding"), c.IntsOf("dilation"), c.IntOf("groups"), c.BoolOf("bias")),
        "ConvTranspose1d" => new ConvTranspose1d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("output_padding"), c.IntOf("groups"), c.BoolOf("bias"), c.IntsOf("dilation")),
        "ConvTranspose2d" => new ConvTranspose2d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("output_padding"), c.IntOf("groups"), c.BoolOf("bias"), c.IntsOf("dilation")),
        "ConvTranspose3d" => new ConvTranspose3d(c.IntOf("in_channels"), c.IntOf("out_channels"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("output_padding"), c.IntOf("groups"), c.BoolOf("bias"), c.IntsOf("dilation")),
        "Linear" => new Linear(c.IntOf("in_features"), c.IntOf("out_features"), c.BoolOf("bias")),
        "MaxPool1d" => new MaxPool1d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("dilation"), c.BoolOf("ceil_mode")),
        "MaxPool2d" => new MaxPool2d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("dilation"), c.BoolOf("ceil_mode")),
        "MaxPool3d" => new MaxPool3d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.IntsOf("dilation"), c.BoolOf("ceil_mode")),
        "AvgPool1d" => new AvgPool1d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.BoolOf("ceil_mode"), c.BoolOf("count_include_pad")),
        "AvgPool2d" => new AvgPool2d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.BoolOf("ceil_mode"), c.BoolOf("count_include_pad")),
        "AvgPool3d" => new AvgPool3d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding"), c.BoolOf("ceil_mode"), c.BoolOf("count_include_pad")),
        "LPPool1d" => new LPPool1d(c.DoubleOf("norm_type"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.BoolOf("ceil_mode")),
        "LPPool2d" => new LPPool2d(c.DoubleOf("norm_type"), c.IntsOf("kernel_size"), c.IntsOf("stride"), c.BoolOf("ceil_mode")),
        "AdaptiveAvgPool2d" => new AdaptiveAvgPool2d(c.IntsOf("output_size")),
        "ReLU" => new ReLU(),
        "LeakyReLU" => new LeakyReLU((float)c.DoubleOf("negative_slope")),
        "Sigmoid" => new Sigmoid(),
        "Tanh" => new Tanh(),
        "Flatten" => new Flatten(c.IntOf("start_dim"), c.IntOf("end_dim")),
        _ => throw new NotSupportedException($"golden case {c.Name}: no Convolve layer for kind {c.Kind}"),
    };

    public static MaxUnpoolNd BuildUnpool(GoldenCase c) => c.Kind switch
    {
        "MaxUnpool1d" => new MaxUnpool1d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding")),
        "MaxUnpool2d" => new MaxUnpool2d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding")),
        "MaxUnpool3d" => new MaxUnpool3d(c.IntsOf("kernel_size"), c.IntsOf("stride"), c.IntsOf("padding")),
        _ => throw new NotSupportedException(c.Kind),
    };
}
