using Convolve.Layers;

namespace Convolve.Optimizers;

/// <summary>
/// Adam with decoupled weight decay (Loshchilov and Hutter, 2019), computed exactly as PyTorch
/// 1.13's <c>torch.optim.AdamW</c>: before the Adam update each parameter is multiplied by
/// <c>1 − lr·weightDecay</c>, and the gradient itself is not decayed. State as <see cref="Adam"/>.
/// </summary>
public sealed class AdamW : Adam
{
    /// <summary>Creates the optimizer; every hyper-parameter is validated here.</summary>
    /// <exception cref="ArgumentException">A value is NaN, infinite or negative, or a beta is outside [0, 1).</exception>
    public AdamW(IEnumerable<Parameter> parameters, double learningRate = 1e-3, double beta1 = 0.9, double beta2 = 0.999,
        double epsilon = 1e-8, double weightDecay = 1e-2, bool amsgrad = false)
        : base(parameters, learningRate, beta1, beta2, epsilon, weightDecay, amsgrad, decoupledWeightDecay: true)
    {
    }
}
