using Convolve.Layers;
using Convolve.Tensors;

namespace Convolve.Optimizers;

/// <summary>
/// Updates a fixed list of parameters from their gradients, with PyTorch 1.13's arithmetic.
/// Per-parameter state (momentum buffers, moment estimates) is float32 like PyTorch's and is
/// exposed for checkpoints by <see cref="State"/> under names such as <c>0.exp_avg</c>
/// (parameter index, then PyTorch's state key), together with the step count <c>step</c>.
/// </summary>
public abstract class Optimizer
{
    /// <summary>The state entry holding the number of steps taken, a float32 tensor of shape [1].</summary>
    public const string StepStateName = "step";

    /// <summary>The largest step count a float32 <c>step</c> entry holds exactly (2^24), as in PyTorch 1.13.</summary>
    public const long MaxStepCount = 1L << 24;

    private readonly Parameter[] parameters;
    private readonly List<(string Name, int Index, float[] Buffer)> buffers = [];
    private double learningRate;

    /// <summary>Takes the parameters to update (at least one, none repeated) and the learning rate.</summary>
    /// <exception cref="ArgumentException">The list is empty or repeats a parameter, or the learning rate is invalid.</exception>
    protected Optimizer(IEnumerable<Parameter> parameters, double learningRate)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        this.parameters = [.. parameters];
        if (this.parameters.Length == 0)
        {
            throw new ArgumentException($"{GetType().Name} needs at least one parameter but got an empty list", nameof(parameters));
        }
        var seen = new Dictionary<Parameter, int>(ReferenceEqualityComparer.Instance);
        for (int i = 0; i < this.parameters.Length; i++)
        {
            var parameter = this.parameters[i] ?? throw new ArgumentException($"parameter {i} is null", nameof(parameters));
            if (!seen.TryAdd(parameter, i))
            {
                throw new ArgumentException(
                    $"parameter {i} ('{parameter.Name}' {parameter.Shape}) is the same object as parameter {seen[parameter]}; each parameter may appear once",
                    nameof(parameters));
            }
        }
        LearningRate = learningRate;
    }

    /// <summary>The parameters this optimizer updates, in the order their state is numbered.</summary>
    public IReadOnlyList<Parameter> Parameters => parameters;

    /// <summary>The learning rate used by the next <see cref="Step"/>; finite and non-negative.</summary>
    /// <exception cref="ArgumentException">The value is NaN, infinite or negative.</exception>
    public double LearningRate
    {
        get => learningRate;
        set => learningRate = HyperParameter.NonNegative(value, "learningRate");
    }

    /// <summary>The number of steps taken so far (PyTorch's <c>state['step']</c>).</summary>
    public long StepCount { get; private set; }

    /// <summary>Updates every parameter from its gradient.</summary>
    public void Step()
    {
        StepCount++;
        for (int i = 0; i < parameters.Length; i++)
        {
            Update(i, parameters[i]);
        }
    }

    /// <summary>Sets every parameter's gradient to zero (PyTorch's <c>zero_grad(set_to_none=False)</c>).</summary>
    public void ZeroGrad()
    {
        foreach (var parameter in parameters)
        {
            parameter.Grad.Span.Clear();
        }
    }

    /// <summary>Applies one update to parameter <paramref name="index"/>; <see cref="StepCount"/> already counts this step.</summary>
    protected abstract void Update(int index, Parameter parameter);

    /// <summary>Registers a zero-filled state buffer of the parameter's size, named <c>{index}.{name}</c>.</summary>
    protected float[] AddState(int index, string name)
    {
        var buffer = new float[parameters[index].Value.Size];
        buffers.Add(($"{index}.{name}", index, buffer));
        return buffer;
    }

    /// <summary>
    /// A snapshot (copies) of the state: <c>step</c> (shape [1]) and every per-parameter buffer
    /// with its parameter's shape.
    /// </summary>
    /// <exception cref="InvalidOperationException">More than <see cref="MaxStepCount"/> steps were taken.</exception>
    public IReadOnlyDictionary<string, Tensor> State()
    {
        if (StepCount > MaxStepCount)
        {
            throw new InvalidOperationException(
                $"the step count {StepCount} exceeds {MaxStepCount}, the largest a float32 '{StepStateName}' entry holds exactly");
        }
        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal)
        {
            [StepStateName] = Tensor.FromArray([StepCount], 1),
        };
        foreach (var (name, index, buffer) in buffers)
        {
            state[name] = new Tensor(parameters[index].Shape, (float[])buffer.Clone());
        }
        return state;
    }

    /// <summary>
    /// Restores a state produced by <see cref="State"/>: the same names, the parameters' shapes and a
    /// whole step count. Everything is validated before anything changes.
    /// </summary>
    /// <exception cref="ArgumentException">An entry is missing, unexpected or of the wrong shape, or the step is not a whole number in range.</exception>
    public void LoadState(IReadOnlyDictionary<string, Tensor> state)
    {
        ArgumentNullException.ThrowIfNull(state);
        long step = OptimizerState.Validate(state, buffers.Select(b => (b.Name, parameters[b.Index])).ToList(), MaxStepCount);
        foreach (var (name, _, buffer) in buffers)
        {
            state[name].Span.CopyTo(buffer);
        }
        StepCount = step;
    }
}
