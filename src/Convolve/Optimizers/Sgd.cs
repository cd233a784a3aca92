using System.Runtime.CompilerServices;
using Convolve.Layers;

namespace Convolve.Optimizers;

/// <summary>
/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
/// decay, computed exactly as PyTorch 1.13's <c>torch.optim.SGD</c> (single-tensor path) in float32:
/// <code>
/// g ← grad + weightDecay·param
/// buf ← g on the first step, else momentum·buf + (1 − dampening)·g
/// g ← g + momentum·buf (Nesterov) or buf
/// param ← param − lr·g
/// </code>
/// State: <c>{i}.momentum_buffer</c> when momentum is non-zero.
/// </summary>
public sealed class Sgd : Optimizer
{
    private readonly float[][]? momentumBuffers;

    /// <summary>Creates the optimizer; every hyper-parameter is validated here.</summary>
    /// <exception cref="ArgumentException">A value is NaN, infinite or negative, or Nesterov is asked for without momentum or with dampening.</exception>
    public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum = 0, double dampening = 0,
        double weightDecay = 0, bool nesterov = false)
        : base(parameters, learningRate)
    {
        Momentum = HyperParameter.NonNegative(momentum, nameof(momentum));
        Dampening = HyperParameter.NonNegative(dampening, nameof(dampening));
        WeightDecay = HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        if (nesterov && (momentum == 0 || dampening != 0))
        {
            throw new ArgumentException(
                $"nesterov needs momentum > 0 and dampening = 0 but got momentum {momentum} and dampening {dampening}", nameof(nesterov));
        }
        Nesterov = nesterov;
        if (momentum != 0)
        {
            momentumBuffers = new float[Parameters.Count][];
            for (int i = 0; i < momentumBuffers.Length; i++)
            {
                momentumBuffers[i] = AddState(i, "momentum_buffer");
            }
        }
    }

    /// <summary>The momentum factor (0 disables momentum).</summary>
    public double Momentum { get; }

    /// <summary>The dampening applied to the gradient's share of the momentum buffer.</summary>
    public double Dampening { get; }

    /// <summary>The L2 penalty added to the gradient.</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the Nesterov form of momentum is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(int index, Parameter parameter)
    {
        // PyTorch converts each Python scalar to float32 before the tensor arithmetic, and its
        // vectorised add-with-alpha is a fused multiply-add: both are mirrored here.
        Span<float> value = parameter.Value.Span;
        ReadOnlySpan<float> grad = parameter.Grad.Span;
        Span<float> buffer = momentumBuffers is null ? default : momentumBuffers[index];
        bool decay = WeightDecay != 0, first = StepCount == 1;
        float weightDecay = (float)WeightDecay, momentum = (float)Momentum;
        float gradShare = (float)(1 - Dampening), negativeRate = (float)-LearningRate;
        for (int i = 0; i < value.Length; i++)
        {
            float g = decay ? MathF.FusedMultiplyAdd(value[i], weightDecay, grad[i]) : grad[i];
            if (momentumBuffers is not null)
            {
                float b = first ? g : MathF.FusedMultiplyAdd(g, gradShare, buffer[i] * momentum);
                buffer[i] = b;
                g = Nesterov ? MathF.FusedMultiplyAdd(b, momentum, g) : b;
            }
            value[i] = MathF.FusedMultiplyAdd(g, negativeRate, value[i]);
        }
    }
}
