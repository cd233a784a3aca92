using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Inference;

/// <summary>
/// A model compiled for inference at one input shape: it computes what the model computes in evaluation
/// mode, with batch normalisation folded into the convolution before it, the bias, a following ReLU and
/// a residual block's sum done in the convolution's output pass, and every buffer allocated when the plan
/// is built. The plan holds a snapshot of the weights and statistics: compile again after changing them.
/// It has no backward pass; gradients (saliency) go through the model's own layers, which the plan leaves untouched.
/// Results agree with the layers to float rounding (the folded weights are rounded once), not bit for bit.
/// </summary>
public sealed class EvaluationPlan
{
    private readonly PlanStep[] steps;

    private EvaluationPlan(Layer model, Shape inputShape, Shape outputShape, PlanStep[] steps)
    {
        Model = model;
        InputShape = inputShape;
        OutputShape = outputShape;
        this.steps = steps;
    }

    /// <summary>The model the plan was compiled from.</summary>
    public Layer Model { get; }

    /// <summary>The one input shape the plan runs, e.g. [64, 1, 28, 28].</summary>
    public Shape InputShape { get; }

    /// <summary>The shape of <see cref="Run"/>'s result.</summary>
    public Shape OutputShape { get; }

    /// <summary>
    /// What each step computes, in order, e.g. <c>Conv2d + BatchNorm2d + ReLU (Direct)</c>. A run of layers kept in
    /// the channel-blocked layout lists each of its layers marked blocked, e.g. <c>Conv2d + ReLU (Direct, blocked)</c>,
    /// <c>MaxPool2d (blocked)</c>.
    /// </summary>
    public IReadOnlyList<string> Steps => [.. Describe(steps)];

    /// <summary>The <see cref="Steps"/> entries of <paramref name="steps"/>; a graph lists its runs' and merges' entries, each after its node names.</summary>
    internal static IEnumerable<string> Describe(IEnumerable<PlanStep> steps) => steps.SelectMany(step => step switch
    {
        SlicedStep sliced => Describe(sliced.Slice),
        ConvolutionStep c => [c.Summary],
        BlockedChainStep chain => chain.Members,
        GraphStep graph => graph.Members,
        _ => (IEnumerable<string>)[step.Description],
    });

    /// <summary>The steps themselves, for the tests.</summary>
    internal IReadOnlyList<PlanStep> StepsForTests => steps;

    /// <summary>
    /// Compiles <paramref name="model"/>, which must be in evaluation mode (<see cref="Layer.Eval"/>), for inputs of
    /// <paramref name="inputShape"/>. Throws <see cref="ArgumentException"/> if the model does not accept that shape.
    /// </summary>
    public static EvaluationPlan Compile(Layer model, Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inputShape);
        Shape outputShape = model.OutputShape(inputShape);
        if (InTraining(model) is Layer training)
        {
            throw new InvalidOperationException(
                $"EvaluationPlan.Compile computes evaluation mode, but {training.Name} of {model.Name} is in training mode: call Eval() on the model first");
        }
        PlanStep[] steps = SliceImages > 0 && inputShape.Rank > 1 && inputShape[0] > SliceImages && MeetsInNchw(model)
            ? [new SlicedStep(model, inputShape, outputShape, SliceImages)]
            : PlanCompiler.Compile(model, inputShape);
        return new EvaluationPlan(model, inputShape, outputShape, steps);
    }

    /// <summary>
    /// Images per slice when a batch larger than this runs slice by slice (<see cref="SlicedStep"/>); 0 runs every step on
    /// the whole batch (for the benchmark's comparison and the tests' twin).
    /// </summary>
    internal static int SliceImages { get; set; } = 8;

    /// <summary>
    /// Whether the model has residual blocks or graphs, whose steps meet in NCHW: those run slice by slice, so their
    /// activations stay in cache (resnet-small batch 64: 1.07–1.43× on one thread, 1.08–1.15× on two, measured with
    /// `bench infer`); a chain of convolutions, poolings and Linear layers is already one image at a time in its blocked
    /// runs, and slicing only cut its Linear into small products (fashion-cnn and vgg-small 5–10 % slower on one thread).
    /// </summary>
    private static bool MeetsInNchw(Layer layer) => layer switch
    {
        Residual or Graph => true,
        Sequential chain => chain.Any(MeetsInNchw),
        _ => false,
    };

    /// <summary>
    /// The model's evaluation-mode output for <paramref name="input"/> (shape <see cref="InputShape"/>). The result is
    /// the plan's own buffer, overwritten by the next run (or, for a model with no step, the input).
    /// </summary>
    public Tensor Run(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (input.Shape != InputShape)
        {
            throw new ArgumentException($"EvaluationPlan: compiled for input {InputShape} but got {input.Shape}; compile a plan for that shape", nameof(input));
        }
        return PlanStep.RunAll(steps, input);
    }

    /// <summary>
    /// Each step's median time over <paramref name="runs"/> runs of the plan on <paramref name="input"/>, in milliseconds,
    /// beside its <see cref="Steps"/> entries (a residual block, a graph or a blocked run counts as one step, its entries joined by →): where an inference's time goes.
    /// </summary>
    public IReadOnlyList<(string Step, double Milliseconds)> Profile(Tensor input, int runs)
    {
        Run(input);
        if (steps is [SlicedStep sliced])
        {
            // A plan that runs slice by slice: the steps of one slice, on the batch's first images.
            Shape sliceShape = new([sliced.SliceImages, .. InputShape.ToArray()[1..]]);
            var first = new Tensor(sliceShape, input.Data[..sliceShape.Size]);
            return new EvaluationPlan(Model, sliceShape, Model.OutputShape(sliceShape), sliced.Slice).Profile(first, runs);
        }
        if (runs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(runs), runs, "EvaluationPlan.Profile: runs must be at least 1");
        }
        var times = new double[steps.Length, runs];
        for (int run = 0; run < runs; run++)
        {
            Tensor x = input;
            for (int i = 0; i < steps.Length; i++)
            {
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                x = steps[i].Run(x);
                times[i, run] = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            }
        }
        string[] names = [.. steps.Select(step => string.Join(" → ", Describe([step])))];
        return [.. Enumerable.Range(0, steps.Length).Select(i =>
        {
            double[] row = [.. Enumerable.Range(0, runs).Select(run => times[i, run]).Order()];
            return (names[i], row[runs / 2]);
        })];
    }

    private static Layer? InTraining(Layer layer)
    {
        if (layer.IsTraining)
        {
            return layer;
        }
        return layer switch
        {
            Sequential chain => chain.Select(InTraining).FirstOrDefault(found => found is not null),
            Residual block => InTraining(block.Body) ?? (block.Shortcut is null ? null : InTraining(block.Shortcut)),
            Graph graph => graph.Nodes.Select(node => InTraining(node.Layer)).FirstOrDefault(found => found is not null),
            _ => null,
        };
    }
}
