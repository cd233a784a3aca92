using Convolve.Kernels;
using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A whole model run on slices of a large batch, each slice through the model's steps compiled for the slice: the
/// activations of a slice stay in the core's cache from the first layer to the last instead of a whole batch of them
/// streaming through memory between layers, and the threads take whole slices (each with its own steps and buffers),
/// so a layer that splits badly (a residual block's small convolutions, a Linear) never hands work between threads.
/// Every image's output is computed by the same steps whichever thread runs its slice, so the result does not depend on
/// the thread count; slices are cut from the batch alone.
/// </summary>
internal sealed class SlicedStep : PlanStep
{
    private readonly Layer model;
    private readonly Shape inputShape;
    private readonly int slice, inputImage, outputImage;
    private readonly List<Dictionary<int, (PlanStep[] Steps, Tensor Input)>> parts = [];
    private Tensor? output;

    public SlicedStep(Layer model, Shape inputShape, Shape outputShape, int slice)
        : base($"slices of {slice}", outputShape)
    {
        this.model = model;
        this.inputShape = inputShape;
        this.slice = slice;
        inputImage = inputShape.Size / inputShape[0];
        outputImage = outputShape.Size / outputShape[0];
        Slice = Compiled(0, slice).Steps;
    }

    /// <summary>Images per slice (the last slice may have fewer).</summary>
    public int SliceImages => slice;

    /// <summary>The steps one slice runs (for the plan's step list).</summary>
    public PlanStep[] Slice { get; }

    /// <inheritdoc/>
    public override Tensor Run(Tensor input)
    {
        output ??= new Tensor(OutputShape);
        int batch = inputShape[0], slices = (batch + slice - 1) / slice;
        int threads = Parallelism.IsInsidePart ? 1 : Math.Min(Parallelism.MaxThreads, slices);
        for (int part = 0; part < threads; part++)
        {
            for (int s = slices * part / threads; s < slices * (part + 1) / threads; s++)
            {
                Compiled(part, Math.Min(slice, batch - (s * slice)));
            }
        }
        Tensor result = output;
        Parallelism.RunParts(threads, part =>
        {
            for (int s = slices * part / threads; s < slices * (part + 1) / threads; s++)
            {
                int first = s * slice, count = Math.Min(slice, batch - first);
                var (steps, sliceInput) = parts[part][count];
                input.Data.AsSpan(first * inputImage, count * inputImage).CopyTo(sliceInput.Data);
                Tensor y = RunAll(steps, sliceInput);
                y.Data.AsSpan(0, count * outputImage).CopyTo(result.Data.AsSpan(first * outputImage, count * outputImage));
            }
        });
        return result;
    }

    /// <summary>Part <paramref name="part"/>'s steps for a slice of <paramref name="count"/> images, compiled the first time they are needed.</summary>
    private (PlanStep[] Steps, Tensor Input) Compiled(int part, int count)
    {
        while (parts.Count <= part)
        {
            parts.Add([]);
        }
        if (!parts[part].TryGetValue(count, out var compiled))
        {
            Shape shape = new([count, .. inputShape.ToArray()[1..]]);
            compiled = (PlanCompiler.Compile(model, shape), new Tensor(shape));
            parts[part][count] = compiled;
        }
        return compiled;
    }
}
