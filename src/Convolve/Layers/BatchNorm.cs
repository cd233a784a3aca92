using Convolve.Kernels;
using Convolve.Tensors;

namespace Convolve.Layers;

/// <summary>
/// Batch normalisation (Ioffe &amp; Szegedy 2015) with PyTorch 1.13's semantics, shared by
/// <see cref="BatchNorm1d"/> and <see cref="BatchNorm2d"/>: input Shape [N, C, *], each channel
/// normalised over its <c>M = N·spatial</c> values, <c>y = (x − mean)/√(var + eps)·weight + bias</c>.
/// Training normalises with the batch mean and biased variance and updates the running statistics
/// with the unbiased variance; evaluation uses the running statistics, or the batch statistics when
/// they are not tracked. Forward always caches (a reference to the input and the statistics), so
/// Backward also works in evaluation mode, where it is the affine map alone.
/// </summary>
public abstract class BatchNorm : Layer, IFoldsRelu
{
    private ForwardCache? cache;

    /// <summary>Validates the options and registers the parameters and buffers PyTorch would.</summary>
    /// <exception cref="ArgumentException">numFeatures ≤ 0, eps not positive and finite, or momentum outside [0, 1].</exception>
    protected BatchNorm(int numFeatures, double eps, double momentum, bool affine, bool trackRunningStats)
    {
        string layer = GetType().Name;
        if (numFeatures <= 0)
        {
            throw new ArgumentException($"{layer}: numFeatures must be positive but got {numFeatures}", nameof(numFeatures));
        }
        if (!(eps > 0) || !double.IsFinite(eps))
        {
            throw new ArgumentException($"{layer}: eps must be positive and finite but got {eps}", nameof(eps));
        }
        if (!(momentum >= 0 && momentum <= 1))
        {
            throw new ArgumentException($"{layer}: momentum must be in [0, 1] but got {momentum}", nameof(momentum));
        }
        NumFeatures = numFeatures;
        Eps = eps;
        Momentum = momentum;
        Affine = affine;
        TrackRunningStats = trackRunningStats;
        if (affine)
        {
            Weight = AddParameter("weight", new Shape(numFeatures));
            Weight.Value.Span.Fill(1f);
            Bias = AddParameter("bias", new Shape(numFeatures));
        }
        if (trackRunningStats)
        {
            RunningMean = AddBuffer("running_mean", new Shape(numFeatures), 0f);
            RunningVar = AddBuffer("running_var", new Shape(numFeatures), 1f);
            NumBatchesTracked = AddBuffer("num_batches_tracked", new Shape(), 0f);
        }
    }

    /// <summary>The number of channels C.</summary>
    public int NumFeatures { get; }

    /// <summary>Added to the variance before the square root.</summary>
    public double Eps { get; }

    /// <summary>The weight of the new batch in the running statistics: <c>running = (1 − momentum)·running + momentum·batch</c>.</summary>
    public double Momentum { get; }

    /// <summary>True when the layer has the learnable <see cref="Weight"/> and <see cref="Bias"/>.</summary>
    public bool Affine { get; }

    /// <summary>True when the layer keeps running statistics for evaluation.</summary>
    public bool TrackRunningStats { get; }

    /// <summary>γ, Shape [C], initialised to ones; null when not <see cref="Affine"/>.</summary>
    public Parameter? Weight { get; }

    /// <summary>β, Shape [C], initialised to zeros; null when not <see cref="Affine"/>.</summary>
    public Parameter? Bias { get; }

    /// <summary>Buffer <c>running_mean</c>, Shape [C], initialised to zeros; null when not tracking.</summary>
    public Tensor? RunningMean { get; }

    /// <summary>Buffer <c>running_var</c>, Shape [C], initialised to ones; null when not tracking.</summary>
    public Tensor? RunningVar { get; }

    /// <summary>
    /// Buffer <c>num_batches_tracked</c>, Shape [] like PyTorch's, counting training-mode forward passes.
    /// PyTorch stores an int64; this is a one-element float32 tensor (exact up to 2²⁴ batches) so
    /// every buffer has one element type. Null when not tracking.
    /// </summary>
    public Tensor? NumBatchesTracked { get; }

    /// <summary>True when the next Forward normalises with the batch's own statistics.</summary>
    private bool UsesBatchStatistics => IsTraining || !TrackRunningStats;

    /// <summary>The accepted layouts for the message, e.g. <c>[N, 3, H, W]</c>.</summary>
    protected abstract string ExpectedLayout { get; }

    /// <summary>True when an input of this rank is accepted.</summary>
    protected abstract bool IsSupportedRank(int rank);

    /// <inheritdoc/>
    public override Shape OutputShape(Shape inputShape)
    {
        ArgumentNullException.ThrowIfNull(inputShape);
        if (!IsSupportedRank(inputShape.Rank) || inputShape[1] != NumFeatures)
        {
            throw InputError($"numFeatures is {NumFeatures}, so the input must be {ExpectedLayout} but got {inputShape}");
        }
        if (UsesBatchStatistics && inputShape.Size / NumFeatures == 1)
        {
            throw InputError($"expected more than 1 value per channel when training (normalising with batch statistics), got input {inputShape}");
        }
        return inputShape;
    }

    /// <summary>Normalises Shape [N, C, *] to the same shape.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, relu: false);

    /// <summary>
    /// <see cref="Forward(Tensor)"/> followed by ReLU in the same pass over memory, for a
    /// <see cref="Sequential"/> that folds a following <see cref="ReLU"/> in; <see cref="Backward"/>
    /// then applies the ReLU's gradient too (zero where the output is not positive).
    /// </summary>
    Tensor IFoldsRelu.ForwardWithRelu(Tensor input) => Forward(input, relu: true);

    private Tensor Forward(Tensor input, bool relu)
    {
        ArgumentNullException.ThrowIfNull(input);
        OutputShape(input.Shape);
        var (n, s) = (input.Shape[0], input.Shape.SizeFrom(2));
        var mean = new double[NumFeatures];
        var variance = new double[NumFeatures];
        bool batchStatistics = UsesBatchStatistics;
        if (batchStatistics && n * s > 0)
        {
            BatchNormKernel.MeanVariance(input.Span, n, NumFeatures, s, mean, variance);
        }
        if (IsTraining && TrackRunningStats)
        {
            UpdateRunningStatistics(mean, variance, n * s);
        }
        var invStd = new double[NumFeatures];
        var scale = new double[NumFeatures];
        var shift = new double[NumFeatures];
        for (int c = 0; c < NumFeatures; c++)
        {
            if (!batchStatistics)
            {
                (mean[c], variance[c]) = (RunningMean!.Data[c], RunningVar!.Data[c]);
            }
            invStd[c] = 1.0 / Math.Sqrt(variance[c] + Eps);
            scale[c] = invStd[c] * (Weight?.Value.Data[c] ?? 1f);
            shift[c] = Bias?.Value.Data[c] ?? 0f;
        }
        var output = NewOutput(input.Shape, overwritten: true);
        BatchNormKernel.Normalize(input.Span, n, NumFeatures, s, mean, scale, shift, output.Span, relu);
        cache = new ForwardCache(input, mean, invStd, scale, batchStatistics, relu ? output : null);
        return output;
    }

    /// <summary>
    /// Adds <c>Σ g·x̂</c> into weight's and <c>Σ g</c> into bias's gradient and returns gradInput; through
    /// the batch statistics when Forward used them, else the affine map alone.
    /// </summary>
    public override Tensor Backward(Tensor gradOutput)
    {
        var cached = RequireCached(cache);
        RequireGradShape(gradOutput, cached.Input.Shape);
        var (n, s) = (cached.Input.Shape[0], cached.Input.Shape.SizeFrom(2));
        double count = (double)n * s;
        var sumGrad = new double[NumFeatures];
        var sumGradCentered = new double[NumFeatures];
        ReadOnlySpan<float> reluOutput = cached.ReluOutput is null ? default : cached.ReluOutput.Span;
        BatchNormKernel.GradientSums(cached.Input.Span, gradOutput.Span, n, NumFeatures, s, cached.Mean, sumGrad, sumGradCentered, reluOutput);
        var offset = new double[NumFeatures];
        var slope = new double[NumFeatures];
        for (int c = 0; c < NumFeatures; c++)
        {
            double invStd = cached.InvStd[c];
            if (Weight is not null && Bias is not null)
            {
                Weight.Grad.Data[c] += (float)(sumGradCentered[c] * invStd);
                Bias.Grad.Data[c] += (float)sumGrad[c];
            }
            if (cached.ThroughStatistics && count > 0)
            {
                offset[c] = sumGrad[c] / count;
                slope[c] = sumGradCentered[c] * invStd * invStd / count;
            }
        }
        var gradInput = NewGradInput(cached.Input.Shape, overwritten: true);
        BatchNormKernel.InputGradient(cached.Input.Span, gradOutput.Span, n, NumFeatures, s, cached.Mean, cached.Scale, offset, slope, gradInput.Span, reluOutput);
        return gradInput;
    }

    /// <summary>
    /// <c>running = (1 − momentum)·running + momentum·batch</c> with the unbiased variance, and one more
    /// batch counted. An empty batch is counted but leaves the statistics alone, as in PyTorch.
    /// </summary>
    private void UpdateRunningStatistics(ReadOnlySpan<double> mean, ReadOnlySpan<double> variance, int count)
    {
        NumBatchesTracked!.Data[0] += 1f;
        if (count == 0)
        {
            return;
        }
        double unbias = count / (count - 1.0);
        Span<float> runningMean = RunningMean!.Span, runningVar = RunningVar!.Span;
        for (int c = 0; c < NumFeatures; c++)
        {
            runningMean[c] = (float)((1 - Momentum) * runningMean[c] + Momentum * mean[c]);
            runningVar[c] = (float)((1 - Momentum) * runningVar[c] + Momentum * variance[c] * unbias);
        }
    }

    /// <summary>What Backward needs: the input, per-channel mean, 1/√(var + eps) and γ/√(var + eps), and the output when a ReLU was folded in.</summary>
    private sealed record ForwardCache(Tensor Input, double[] Mean, double[] InvStd, double[] Scale, bool ThroughStatistics, Tensor? ReluOutput);
}
