using System.Collections.Concurrent;
using Convolve.Kernels;

namespace Convolve.Layers;

/// <summary>
/// Depthwise convolution (groups = C_in, C_out = k·C_in: each output channel o correlates input channel
/// o / k with its own KH×KW kernel), 2-d and 1-d, any kernel, stride, padding and dilation
/// (<see cref="DepthwisePlan"/>). Grouped GEMMs or channel-blocked microkernels have one channel per
/// group to reduce over, so this algorithm works on each plane in place in NCHW order instead,
/// vectorised along the flattened width: per (image, input channel) one thread packs the padded,
/// phase-split frame into its workspace and <see cref="DepthwiseKernel"/> computes the k output planes.
/// The input gradient is the same kernel gathering from the output gradient; the weight gradient is
/// parallel over channels, each summing over the images in order, so every pass gives the same bits
/// on any number of threads.
/// </summary>
internal sealed unsafe class DepthwiseConvolution : IConvolutionAlgorithm
{
    private readonly ConcurrentBag<DirectWorkspace> workspaces = [];
    private DepthwisePlan? plan;
    private float[] backwardWeights = [];

    /// <summary>Whether <paramref name="layout"/> is depthwise and at most 2-d (a 3-d layer falls back to the rule).</summary>
    public static bool Applies(in ConvolutionLayout layout) =>
        layout.Groups == layout.InputChannels && layout.OutputChannels % layout.InputChannels == 0
        && layout.Window.KD == 1 && layout.Window.InD == 1 && layout.Window.OutD == 1;

    /// <summary>The SIMD level to run at instead of <see cref="Simd.Level"/> (tests cover every level in one process); null for the process's.</summary>
    public SimdLevel? Level { get; init; }

    /// <inheritdoc/>
    public void Forward(float[] input, float[] weight, float[] output, in ConvolutionLayout layout, float[]? bias = null, bool relu = false)
    {
        DepthwisePlan p = PlanFor(layout);
        int channels = layout.InputChannels, k = p.Multiplier, inPlane = layout.Window.InputPlane, outPlane = layout.Window.OutputPlane, outChannels = layout.OutputChannels;
        ForEachPlane(p, p.PlaneWork * k, (item, workspace) =>
        {
            workspace.Reserve(p.FrameSize, p.OutputSpan);
            p.PackFrame(input.AsSpan(item * inPlane, inPlane), workspace.Frame);
            fixed (float* frame = workspace.Frame, result = workspace.Result, w = weight, y = output)
            fixed (int* offsets = p.ForwardOffsets)
            {
                for (int m = 0; m < k; m++)
                {
                    int o = (item % channels * k) + m, plane = (item / channels * outChannels) + o;
                    DepthwiseKernel.Correlate(p.Level, frame, offsets, w + (o * p.Taps), p.Taps, result, p.OutputSpan, accumulate: false);
                    DepthwiseKernel.StoreRows(p.Level, result, p.PhaseW, y + ((long)plane * outPlane), p.Layout.Window.OutH, p.Layout.Window.OutW, bias is null ? 0 : bias[o], relu);
                }
            }
        });
    }

    /// <inheritdoc/>
    public void BackwardData(float[] gradOutput, float[] weight, float[] gradInput, in ConvolutionLayout layout, float[]? bias = null)
    {
        DepthwisePlan p = PlanFor(layout);
        int channels = layout.InputChannels, k = p.Multiplier, inPlane = layout.Window.InputPlane, outPlane = layout.Window.OutputPlane, outChannels = layout.OutputChannels;
        float[] reordered = ReorderForBackward(p, weight);
        int phases = p.PhaseTaps.Length;
        ForEachPlane(p, p.PlaneWork * k, (item, workspace) =>
        {
            workspace.Reserve(p.GradientSize, phases * p.PhaseSpan);
            fixed (float* gradient = workspace.Frame, result = workspace.Result, w = reordered, gx = gradInput)
            {
                for (int m = 0; m < k; m++)
                {
                    int o = (item % channels * k) + m, plane = (item / channels * outChannels) + o;
                    p.PackGradient(gradOutput.AsSpan(plane * outPlane, outPlane), workspace.Frame, p.Lead, p.GradientSize);
                    float* taps = w + (o * p.Taps);
                    for (int phase = 0; phase < phases; phase++)
                    {
                        fixed (int* offsets = p.BackwardOffsets[phase])
                        {
                            DepthwiseKernel.Correlate(p.Level, gradient, offsets, taps, p.PhaseTaps[phase].Length, result + (phase * p.PhaseSpan), p.PhaseSpan, accumulate: m > 0);
                        }
                        taps += p.PhaseTaps[phase].Length;
                    }
                }
                p.UnpackInputGradient(result, gx + ((long)item * inPlane), bias is null ? 0 : bias[item % channels]);
            }
        });
    }

    /// <inheritdoc/>
    public void BackwardWeight(float[] input, float[] gradOutput, float[] gradWeight, in ConvolutionLayout layout)
    {
        DepthwisePlan p = PlanFor(layout);
        int channels = layout.InputChannels, k = p.Multiplier, batch = layout.Batch, inPlane = layout.Window.InputPlane, outPlane = layout.Window.OutputPlane, outChannels = layout.OutputChannels;
        Parallelism.For(channels, p.PlaneWork * k * batch, (start, end) =>
        {
            DirectWorkspace workspace = Take();
            workspace.Reserve(p.FrameSize, p.OutputSpan);
            Span<double> perChannel = k * p.Taps <= 512 ? stackalloc double[k * p.Taps] : new double[k * p.Taps];
            for (int c = start; c < end; c++)
            {
                perChannel.Clear();
                fixed (float* frame = workspace.Frame, gradient = workspace.Result)
                fixed (int* offsets = p.ForwardOffsets)
                fixed (double* sums = perChannel)
                {
                    for (int n = 0; n < batch; n++)
                    {
                        p.PackFrame(input.AsSpan(((n * channels) + c) * inPlane, inPlane), workspace.Frame);
                        for (int m = 0; m < k; m++)
                        {
                            int plane = (n * outChannels) + (c * k) + m;
                            p.PackGradient(gradOutput.AsSpan(plane * outPlane, outPlane), workspace.Result, 0, p.OutputSpan);
                            DepthwiseKernel.DotTaps(p.Level, gradient, frame, offsets, p.Taps, p.OutputSpan, sums + (m * p.Taps));
                        }
                    }
                }
                for (int i = 0; i < perChannel.Length; i++)
                {
                    gradWeight[(c * k * p.Taps) + i] += (float)perChannel[i];
                }
            }
            workspaces.Add(workspace);
        });
    }

    /// <summary>Each output channel's taps in <see cref="DepthwisePlan.BackwardOrder"/>, in a buffer kept between calls.</summary>
    private float[] ReorderForBackward(DepthwisePlan p, float[] weight)
    {
        int size = p.Layout.OutputChannels * p.Taps;
        if (backwardWeights.Length < size)
        {
            backwardWeights = new float[size];
        }
        for (int o = 0; o < p.Layout.OutputChannels; o++)
        {
            for (int i = 0; i < p.Taps; i++)
            {
                backwardWeights[(o * p.Taps) + i] = weight[(o * p.Taps) + p.BackwardOrder[i]];
            }
        }
        return backwardWeights;
    }

    /// <summary>Runs <paramref name="body"/>(image·C_in + channel, workspace) for every input plane of the batch, in contiguous runs per thread.</summary>
    private void ForEachPlane(DepthwisePlan p, long workPerPlane, Action<int, DirectWorkspace> body)
    {
        Parallelism.For(p.Layout.Batch * p.Layout.InputChannels, workPerPlane, (start, end) =>
        {
            DirectWorkspace workspace = Take();
            for (int item = start; item < end; item++)
            {
                body(item, workspace);
            }
            workspaces.Add(workspace);
        });
    }

    private DirectWorkspace Take() => workspaces.TryTake(out DirectWorkspace? kept) ? kept : new DirectWorkspace();

    private DepthwisePlan PlanFor(in ConvolutionLayout layout)
    {
        SimdLevel level = Level ?? Simd.Level;
        if (!Applies(layout))
        {
            throw new ArgumentException($"depthwise convolution needs groups = input channels, output channels a multiple of them and at most 2 spatial dimensions but got {layout}", nameof(layout));
        }
        if (plan is null || plan.Layout != layout || plan.Level != level)
        {
            plan = new DepthwisePlan(layout, level);
        }
        return plan;
    }
}
