using System.Diagnostics;
using Convolve.Layers;

namespace Convolve.Diagnostics;

/// <summary>
/// Where a network's time goes, layer by layer: while a profiler is alive it is the
/// <see cref="LayerTiming.Observer"/>, and every child call of a <see cref="Sequential"/> or
/// <see cref="Residual"/> adds its forward or backward time to that layer's total.
/// <see cref="Rows"/> gives, per layer in network order, the time per step and, for containers,
/// the part spent outside their children (a residual block's sum). One profiler at a time.
/// </summary>
public sealed class LayerProfiler : IDisposable
{
    private readonly List<Entry> entries = [];
    private readonly Dictionary<Layer, Entry> byLayer = new(ReferenceEqualityComparer.Instance);

    private readonly bool trainingOnly;

    /// <summary>Starts timing the layers inside <paramref name="model"/> (the model itself is the caller's to time).</summary>
    /// <param name="model">The network.</param>
    /// <param name="trainingOnly">Count only calls made in training mode: a training run's steps, not the evaluations between its epochs.</param>
    /// <exception cref="InvalidOperationException">Another profiler is active.</exception>
    public LayerProfiler(Layer model, bool trainingOnly = false)
    {
        this.trainingOnly = trainingOnly;
        ArgumentNullException.ThrowIfNull(model);
        if (LayerTiming.Observer is not null)
        {
            throw new InvalidOperationException("another LayerProfiler (or layer-timing observer) is active; dispose it first");
        }
        Walk(model, "", null);
        LayerTiming.Observer = Record;
    }

    /// <summary>Per layer, in network order: its name (state-dict path), type, depth, and seconds per step.</summary>
    /// <param name="steps">The number of steps profiled, to divide the totals by.</param>
    public IReadOnlyList<LayerProfileRow> Rows(int steps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(steps, 1);
        double perStep = 1.0 / (Stopwatch.Frequency * (double)steps);
        return entries.Select(e =>
        {
            long childForward = e.Children.Sum(c => c.Forward), childBackward = e.Children.Sum(c => c.Backward);
            return new LayerProfileRow(
                e.Name, e.Layer.Name, e.Depth, e.Forward * perStep, e.Backward * perStep,
                e.Children.Count == 0 ? null : (e.Forward - childForward + e.Backward - childBackward) * perStep);
        }).ToList();
    }

    /// <summary>Stops timing.</summary>
    public void Dispose()
    {
        if (LayerTiming.Observer == Record)
        {
            LayerTiming.Observer = null;
        }
    }

    private void Record(Layer layer, bool backward, long ticks)
    {
        if (trainingOnly && !layer.IsTraining)
        {
            return;
        }
        if (byLayer.TryGetValue(layer, out Entry? entry))
        {
            if (backward)
            {
                entry.Backward += ticks;
            }
            else
            {
                entry.Forward += ticks;
            }
        }
    }

    private void Walk(Layer layer, string name, Entry? parent)
    {
        Entry? entry = null;
        if (parent is not null || name.Length > 0)
        {
            entry = new Entry(layer, name, parent is null ? 0 : parent.Depth + 1);
            entries.Add(entry);
            byLayer[layer] = entry;
            parent?.Children.Add(entry);
        }
        string prefix = name.Length == 0 ? "" : name + ".";
        switch (layer)
        {
            case Sequential sequential:
                for (int i = 0; i < sequential.Count; i++)
                {
                    Walk(sequential[i], prefix + i, entry);
                }
                break;
            case Residual residual:
                Walk(residual.Body, prefix + "body", entry);
                if (residual.Shortcut is not null)
                {
                    Walk(residual.Shortcut, prefix + "shortcut", entry);
                }
                break;
        }
    }

    private sealed class Entry(Layer layer, string name, int depth)
    {
        public Layer Layer { get; } = layer;

        public string Name { get; } = name;

        public int Depth { get; } = depth;

        public long Forward { get; set; }

        public long Backward { get; set; }

        public List<Entry> Children { get; } = [];
    }
}

/// <summary>One layer of a <see cref="LayerProfiler"/> report.</summary>
/// <param name="Name">State-dict path, e.g. <c>3.body.0</c>.</param>
/// <param name="Type">The layer's type name.</param>
/// <param name="Depth">Nesting depth (0 for the model's own children).</param>
/// <param name="ForwardSeconds">Forward time per step, children included.</param>
/// <param name="BackwardSeconds">Backward time per step, children included.</param>
/// <param name="OwnSeconds">For a container, forward plus backward time per step outside its children; null for a leaf.</param>
public sealed record LayerProfileRow(string Name, string Type, int Depth, double ForwardSeconds, double BackwardSeconds, double? OwnSeconds);
