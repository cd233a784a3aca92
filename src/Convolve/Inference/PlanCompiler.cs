using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// Turns a layer tree into plan steps for one input shape. Nested <see cref="Sequential"/>s are
/// flattened; a convolution takes in a following <see cref="BatchNorm"/> (folded into its weights) and
/// <see cref="ReLU"/>; a <see cref="Residual"/> takes in a following ReLU; a <see cref="Linear"/> its
/// ReLU; <see cref="Dropout"/> is the identity and vanishes; <see cref="Flatten"/> is a view; every other
/// layer runs by its own evaluation-mode forward pass. Runs of convolutions and max poolings that can stay
/// in the channel-blocked layout are then merged into one step each (<see cref="BlockedChains"/>).
/// </summary>
internal static class PlanCompiler
{
    /// <summary>The steps of <paramref name="model"/> for an input of <paramref name="inputShape"/>.</summary>
    public static PlanStep[] Compile(Layer model, Shape inputShape) => Compile([model], inputShape);

    /// <summary>The steps of <paramref name="chain"/>, layers applied one after the other, for an input of <paramref name="inputShape"/>.</summary>
    public static PlanStep[] Compile(IEnumerable<Layer> chain, Shape inputShape)
    {
        var layers = new List<Layer>();
        foreach (Layer layer in chain)
        {
            Flatten(layer, layers);
        }
        var steps = new List<PlanStep>();
        Shape shape = inputShape;
        for (int i = 0; i < layers.Count; i++)
        {
            PlanStep? step = Next(layers, ref i, shape);
            if (step is not null)
            {
                steps.Add(step);
                shape = step.OutputShape;
            }
        }
        return [.. BlockedChains.Merge(steps, inputShape)];
    }

    private static void Flatten(Layer layer, List<Layer> into)
    {
        if (layer is Sequential chain)
        {
            foreach (Layer child in chain)
            {
                Flatten(child, into);
            }
        }
        else
        {
            into.Add(layer);
        }
    }

    /// <summary>The step that starts at layer i (null for a layer that computes nothing); i moves to the last layer it takes in.</summary>
    private static PlanStep? Next(List<Layer> layers, ref int i, Shape shape)
    {
        Layer layer = layers[i];
        switch (layer)
        {
            case ConvNd convolution:
                return Convolution(convolution, layers, ref i, shape);
            case Residual block:
                {
                    bool relu = TakeRelu(layers, ref i);
                    PlanStep[]? shortcut = block.Shortcut is null ? null : Compile(block.Shortcut, shape);
                    return new ResidualStep(Compile(block.Body, shape), shortcut, block.OutputShape(shape), relu);
                }
            case Graph graph:
                return new GraphStep(graph, shape);
            case Linear linear:
                return new LinearStep(linear, shape, TakeRelu(layers, ref i));
            case ReLU:
                return new ReluStep(shape);
            case MaxPoolNd pooling:
                return new MaxPoolStep(pooling, shape);
            case Layers.Flatten flatten:
                return new ReshapeStep(flatten.Name, flatten.OutputShape(shape));
            case Dropout:
                return null;
            default:
                return new LayerStep(layer, shape);
        }
    }

    private static ConvolutionStep Convolution(ConvNd convolution, List<Layer> layers, ref int i, Shape shape)
    {
        string description = convolution.Name;
        BatchNorm? norm = null;
        if (i + 1 < layers.Count && layers[i + 1] is BatchNorm next && BatchNormFolding.CanFold(next, convolution.OutChannels))
        {
            norm = next;
            description += " + " + next.Name;
            i++;
        }
        bool relu = TakeRelu(layers, ref i);
        var (weight, bias) = BatchNormFolding.Fold(convolution, norm);
        var step = new ConvolutionStep(description, convolution, shape, weight, bias, relu);
        return step;
    }

    /// <summary>Takes in the ReLU after layer i, if there is one.</summary>
    private static bool TakeRelu(List<Layer> layers, ref int i)
    {
        if (i + 1 < layers.Count && layers[i + 1] is ReLU)
        {
            i++;
            return true;
        }
        return false;
    }
}
