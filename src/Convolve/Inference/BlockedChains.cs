using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// Finds the runs of plan steps that can stay in the channel-blocked layout and replaces each by a
/// <see cref="BlockedChainStep"/>: a convolution whose algorithm works in blocked frames (direct, Winograd),
/// optionally followed by a 2-d max pooling (and a ReLU after it), then the next such convolution, and so
/// on. A run of one convolution with nothing after it gains nothing and stays as it is.
/// </summary>
internal static class BlockedChains
{
    /// <summary>Whether compiled plans keep the blocked layout between layers; off, every convolution packs and unpacks its own image (the reference the tests and `bench infer` compare against).</summary>
    internal static bool Enabled { get; set; } = true;

    /// <summary>
    /// Whether a plan runs an unpinned 2-d convolution direct where the rule would pick im2col, so it can join a chain
    /// (see <see cref="Layers.ConvolutionBase"/>'s NewForwardImplementation); on by default. The tests keep it on with
    /// <see cref="Enabled"/> off to compare chains against the same algorithms step by step.
    /// </summary>
    internal static bool PrefersBlockedAlgorithms { get; set; } = true;

    /// <summary>The steps with every run that can stay blocked merged into one step; <paramref name="inputShape"/> is the first step's input.</summary>
    public static List<PlanStep> Merge(List<PlanStep> steps, Shape inputShape)
    {
        if (!Enabled)
        {
            return steps;
        }
        var merged = new List<PlanStep>();
        Shape shape = inputShape;
        int i = 0;
        while (i < steps.Count)
        {
            int end = i;
            BlockedChainStep? chain = steps[i] is ConvolutionStep ? Chain(steps, shape, ref end) : null;
            if (chain is null)
            {
                merged.Add(steps[i]);
                shape = steps[i].OutputShape;
                i++;
                continue;
            }
            merged.Add(chain);
            shape = chain.OutputShape;
            i = end;
        }
        return merged;
    }

    /// <summary>The chain that starts at steps[i], or null; end moves past its last step.</summary>
    private static BlockedChainStep? Chain(List<PlanStep> steps, Shape inputShape, ref int end)
    {
        var stages = new List<BlockedStage>();
        var biases = new List<float[]?>();
        var relus = new List<bool>();
        var pools = new List<Window3?>();
        var members = new List<string>();
        int j = end;
        Shape outputShape = inputShape;
        while (j < steps.Count && steps[j] is ConvolutionStep convolution && convolution.NewStage() is BlockedStage stage)
        {
            stages.Add(stage);
            biases.Add(convolution.Bias);
            members.Add(Blocked(convolution.Summary));
            bool relu = convolution.Relu;
            outputShape = convolution.OutputShape;
            j++;
            Window3? pool = null;
            if (j < steps.Count && steps[j] is MaxPoolStep { IsPlanar: true } pooling)
            {
                pool = pooling.Window;
                members.Add(Blocked(pooling.Description));
                outputShape = pooling.OutputShape;
                j++;
                if (j < steps.Count && steps[j] is ReluStep rectify)
                {
                    relu = true;
                    members.Add(Blocked(rectify.Description));
                    j++;
                }
            }
            relus.Add(relu);
            pools.Add(pool);
            if (pool is null && (j >= steps.Count || steps[j] is not ConvolutionStep))
            {
                break;
            }
        }
        if (stages.Count == 0 || (stages.Count == 1 && pools[0] is null))
        {
            return null;
        }
        end = j;
        return new BlockedChainStep(inputShape, outputShape, [.. stages], [.. biases], [.. relus], [.. pools], [.. members]);
    }

    private static string Blocked(string summary) => summary.EndsWith(')') ? summary[..^1] + ", blocked)" : summary + " (blocked)";
}
