using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>
/// torchvision's initialisations, applied after the layers took PyTorch's defaults (so the values
/// are torchvision's distributions, drawn from the model's <see cref="RandomSource"/> in layer order).
/// </summary>
internal static class ZooInit
{
    /// <summary>Every convolution's weight from <c>kaiming_normal_(mode="fan_out", nonlinearity="relu")</c> and, with <paramref name="zeroBias"/>, its bias zero (ResNet, MobileNetV2).</summary>
    public static void KaimingNormalFanOut(Layer model, RandomSource random, bool zeroBias)
    {
        foreach (ConvNd conv in Convolutions(model))
        {
            Init.KaimingNormal(conv.Weight.Value, random, mode: "fan_out", nonlinearity: "relu");
            if (zeroBias)
            {
                conv.Bias?.Value.Span.Clear();
            }
        }
    }

    /// <summary>Every convolution's weight from <c>kaiming_uniform_(a=0)</c> and its bias zero, but <paramref name="final"/>'s weight from N(0, 0.01²) (SqueezeNet).</summary>
    public static void SqueezeNet(Layer model, ConvNd final, RandomSource random)
    {
        foreach (ConvNd conv in Convolutions(model))
        {
            if (ReferenceEquals(conv, final))
            {
                conv.Weight.Value.FillNormal(random, 0f, 0.01f);
            }
            else
            {
                Init.KaimingUniform(conv.Weight.Value, random);
            }
            conv.Bias?.Value.Span.Clear();
        }
    }

    /// <summary>The convolutions of <paramref name="layer"/> in the order its parameters are named.</summary>
    public static IEnumerable<ConvNd> Convolutions(Layer layer) => layer switch
    {
        ConvNd conv => [conv],
        Sequential chain => chain.SelectMany(Convolutions),
        Residual block => Convolutions(block.Body).Concat(block.Shortcut is null ? [] : Convolutions(block.Shortcut)),
        Graph graph => graph.Nodes.SelectMany(n => Convolutions(n.Layer)),
        _ => [],
    };
}
