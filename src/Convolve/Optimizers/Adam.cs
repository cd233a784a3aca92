using System.Runtime.CompilerServices;
using Convolve.Layers;

namespace Convolve.Optimizers;

/// <summary>
/// Adam (Kingma and Ba, 2015) with optional AMSGrad and L2 weight decay added to the gradient,
/// computed exactly as PyTorch 1.13's <c>torch.optim.Adam</c> (single-tensor path) in float32:
/// <code>
/// g ← grad + weightDecay·param
/// m ← β1·m + (1 − β1)·g;   v ← β2·v + (1 − β2)·g²;   v̂ ← max(v̂, v) with AMSGrad, else v
/// param ← param − (lr / (1 − β1^t))·m / (√v̂ / √(1 − β2^t) + ε)
/// </code>
/// State: <c>{i}.exp_avg</c>, <c>{i}.exp_avg_sq</c> and, with AMSGrad, <c>{i}.max_exp_avg_sq</c>.
/// </summary>
public class Adam : Optimizer
{
    private readonly float[][] expAvg, expAvgSq;
    private readonly float[][]? maxExpAvgSq;
    private readonly bool decoupledWeightDecay;

    /// <summary>Creates the optimizer; every hyper-parameter is validated here.</summary>
    /// <exception cref="ArgumentException">A value is NaN, infinite or negative, or a beta is outside [0, 1).</exception>
    public Adam(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 0, bool amsgrad = false)
        : this(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: false)
    {
    }

    /// <summary>The constructor shared with <see cref="AdamW"/>, which decays the parameter instead of the gradient.</summary>
    private protected Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2,
        double epsilon, double weightDecay, bool amsgrad, bool decoupledWeightDecay)
        : base(parameters, learningRate)
    {
        Beta1 = HyperParameter.Beta(beta1, nameof(beta1));
        Beta2 = HyperParameter.Beta(beta2, nameof(beta2));
        Epsilon = HyperParameter.NonNegative(epsilon, nameof(epsilon));
        WeightDecay = HyperParameter.NonNegative(weightDecay, nameof(weightDecay));
        Amsgrad = amsgrad;
        this.decoupledWeightDecay = decoupledWeightDecay;
        int count = Parameters.Count;
        (expAvg, expAvgSq, maxExpAvgSq) = (new float[count][], new float[count][], amsgrad ? new float[count][] : null);
        for (int i = 0; i < count; i++)
        {
            expAvg[i] = AddState(i, "exp_avg");
            expAvgSq[i] = AddState(i, "exp_avg_sq");
            if (maxExpAvgSq is not null)
            {
                maxExpAvgSq[i] = AddState(i, "max_exp_avg_sq");
            }
        }
    }

    /// <summary>Decay rate of the first-moment (mean) estimate.</summary>
    public double Beta1 { get; }

    /// <summary>Decay rate of the second-moment (uncentred variance) estimate.</summary>
    public double Beta2 { get; }

    /// <summary>Added to the denominator for numerical stability.</summary>
    public double Epsilon { get; }

    /// <summary>The weight decay factor (L2 on the gradient for Adam, decoupled for AdamW).</summary>
    public double WeightDecay { get; }

    /// <summary>Whether the AMSGrad variant (running maximum of the second moment) is used.</summary>
    public bool Amsgrad { get; }

    /// <inheritdoc/>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    protected override void Update(int index, Parameter parameter)
    {
        // Scalars are computed in double as PyTorch does in Python, then rounded to float32 once;
        // PyTorch's add-with-alpha and addcmul compile to fused multiply-adds, mirrored here.
        double step = StepCount;
        float negativeStepSize = (float)-(LearningRate / (1 - Math.Pow(Beta1, step)));
        float correction2Sqrt = (float)Math.Sqrt(1 - Math.Pow(Beta2, step));
        float beta1 = (float)Beta1, beta2 = (float)Beta2, share1 = (float)(1 - Beta1), share2 = (float)(1 - Beta2);
        float epsilon = (float)Epsilon, weightDecay = (float)WeightDecay, shrink = (float)(1 - LearningRate * WeightDecay);
        bool coupledDecay = !decoupledWeightDecay && WeightDecay != 0;
        Span<float> value = parameter.Value.Span, m = expAvg[index], v = expAvgSq[index];
        Span<float> vMax = maxExpAvgSq is null ? default : maxExpAvgSq[index];
        ReadOnlySpan<float> grad = parameter.Grad.Span;
        for (int i = 0; i < value.Length; i++)
        {
            float p = decoupledWeightDecay ? value[i] * shrink : value[i];
            float g = coupledDecay ? MathF.FusedMultiplyAdd(p, weightDecay, grad[i]) : grad[i];
            m[i] = MathF.FusedMultiplyAdd(g, share1, m[i] * beta1);
            v[i] = MathF.FusedMultiplyAdd(share2 * g, g, v[i] * beta2);
            float second = v[i];
            if (maxExpAvgSq is not null)
            {
                second = vMax[i] = MathF.Max(vMax[i], second);
            }
            float denominator = MathF.Sqrt(second) / correction2Sqrt + epsilon;
            value[i] = p + negativeStepSize * m[i] / denominator;
        }
    }
}
