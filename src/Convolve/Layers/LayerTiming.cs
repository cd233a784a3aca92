using System.Diagnostics;

namespace Convolve.Layers;

/// <summary>
/// The hook through which containers (<see cref="Sequential"/>, <see cref="Residual"/>) report how
/// long each child's forward and backward pass took, so that a profiler
/// (<c>Diagnostics.LayerProfiler</c>) can show where a training step's time goes. With no observer
/// set, a container pays one static read per child call and allocates nothing.
/// </summary>
public static class LayerTiming
{
    /// <summary>Receives (layer, true for a backward pass, elapsed stopwatch ticks) after each child call; null for none.</summary>
    public static Action<Layer, bool, long>? Observer { get; set; }

    /// <summary>The start of a child call: a timestamp when an observer is set, else 0.</summary>
    internal static long Start() => Observer is null ? 0 : Stopwatch.GetTimestamp();

    /// <summary>The end of a child call started at <paramref name="start"/>: reported to the observer, if any.</summary>
    internal static void Stop(Layer layer, bool backward, long start)
    {
        Action<Layer, bool, long>? observer = Observer;
        if (observer is not null && start != 0)
        {
            observer(layer, backward, Stopwatch.GetTimestamp() - start);
        }
    }
}
