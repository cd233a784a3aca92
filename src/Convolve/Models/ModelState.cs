using Convolve.Layers;
using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Models;

/// <summary>The checks between a model's state (parameters and buffers) and a checkpoint's tensors.</summary>
internal static class ModelState
{
    private const int ListedNames = 5;

    /// <summary>The parameters, then the buffers, under their state-dict names.</summary>
    public static IEnumerable<(string Name, Tensor Tensor)> Entries(Layer model) =>
        model.NamedParameters().Select(p => (p.Name, p.Parameter.Value)).Concat(model.NamedBuffers());

    /// <summary>
    /// Before anything is built: every entry the architecture creates must be stored as F32 with
    /// that shape, and when the architecture is complete no stored tensor may be left over.
    /// </summary>
    public static void CheckBeforeBuilding(ArchitectureState state, Checkpoint checkpoint, string source, string? ignoredPrefix)
    {
        foreach (var (name, shape) in state.Entries)
        {
            string expected = $"[{string.Join(", ", shape)}]";
            if (!checkpoint.TryGetTensor(name, out TensorData? data))
            {
                throw new CheckpointFormatException($"{source}: the architecture has '{name}' F32 {expected} but the file has no such tensor");
            }
            if (data.DType != TensorDType.F32 || !data.Shape.Select(d => (long)d).SequenceEqual(shape))
            {
                throw new CheckpointFormatException($"{source}: the architecture has '{name}' F32 {expected} but the file stores {data.DType.HeaderName()} {data.Shape}");
            }
        }
        if (state.Complete)
        {
            RequireNoneLeftOver(state.Entries.Select(e => e.Name), checkpoint, source, ignoredPrefix);
        }
    }

    /// <summary>Pairs every state entry of the built model with its checked tensor.</summary>
    public static List<(Tensor Target, TensorData Data)> Match(Layer model, Checkpoint checkpoint, string source, string? ignoredPrefix)
    {
        var entries = Entries(model).ToList();
        RequireNoneLeftOver(entries.Select(e => e.Name), checkpoint, source, ignoredPrefix);
        var values = new List<(Tensor Target, TensorData Data)>(entries.Count);
        foreach (var (name, target) in entries)
        {
            if (!checkpoint.TryGetTensor(name, out TensorData? data))
            {
                throw new CheckpointFormatException($"{source}: the model needs tensor '{name}' {target.Shape} but the file has none");
            }
            if (data.DType != TensorDType.F32 || data.Shape != target.Shape)
            {
                throw new CheckpointFormatException($"{source}: tensor '{name}' is {data.DType.HeaderName()} {data.Shape} but the model needs F32 {target.Shape}");
            }
            RequireFinite(data, source);
            values.Add((target, data));
        }
        return values;
    }

    /// <summary>A NaN or infinite value is refused: the writer never saves one, so the file is damaged or from elsewhere.</summary>
    public static void RequireFinite(TensorData data, string source)
    {
        long index = data.IndexOfNonFinite();
        if (index >= 0)
        {
            float value = data.ToSingleArray()[index];
            throw new CheckpointFormatException(
                $"{source}: tensor '{data.Name}' holds {value} at element {index}: a model with NaN or infinite values cannot be used (the file is damaged, or the run that wrote it diverged)");
        }
    }

    private static void RequireNoneLeftOver(IEnumerable<string> names, Checkpoint checkpoint, string source, string? ignoredPrefix)
    {
        var expected = names.ToHashSet(StringComparer.Ordinal);
        var unexpected = checkpoint.Tensors.Select(t => t.Name)
            .Where(n => !expected.Contains(n) && (ignoredPrefix is null || !n.StartsWith(ignoredPrefix, StringComparison.Ordinal)))
            .ToList();
        if (unexpected.Count > 0)
        {
            throw new CheckpointFormatException($"{source}: tensors not in the model: {string.Join(", ", unexpected.Take(ListedNames))}");
        }
    }
}
