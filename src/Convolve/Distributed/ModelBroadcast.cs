using Convolve.Layers;
using Convolve.Optimizers;

namespace Convolve.Distributed;

/// <summary>
/// Starts every rank from rank 0's state: its parameters, its buffers (BatchNorm's running
/// statistics) and its optimizer's state (momentum, moment estimates, the step count) are broadcast,
/// in the order the model and the optimizer list them. The ranks must hold the same architecture
/// and optimizer (<see cref="ConfigurationCheck"/> compares them first).
/// </summary>
public static class ModelBroadcast
{
    /// <summary>Overwrites the model's (and the optimizer's, if given) state on every rank with rank 0's.</summary>
    public static void FromRoot(ICommunicator communicator, Layer model, Optimizer? optimizer = null)
    {
        ArgumentNullException.ThrowIfNull(communicator);
        ArgumentNullException.ThrowIfNull(model);
        foreach (var (_, parameter) in model.NamedParameters())
        {
            communicator.Broadcast(parameter.Value.Span, 0);
        }
        foreach (var (_, buffer) in model.NamedBuffers())
        {
            communicator.Broadcast(buffer.Span, 0);
        }
        if (optimizer is null)
        {
            return;
        }
        var state = optimizer.State();
        foreach (string name in state.Keys.Order(StringComparer.Ordinal))
        {
            communicator.Broadcast(state[name].Span, 0);
        }
        optimizer.LoadState(state);
    }
}
