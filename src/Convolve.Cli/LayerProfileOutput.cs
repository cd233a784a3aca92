using System.Globalization;
using Convolve.Diagnostics;
using Convolve.Layers;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// <c>train --profile</c>: after each epoch, where its training steps' time went, layer by layer
/// (forward and backward milliseconds per step, and each layer's share of the time spent in the
/// layers), from a <see cref="LayerProfiler"/> that counts training-mode calls only, so the
/// evaluation between epochs is left out. Layers folded into the one before them (a ReLU after a
/// convolution or a batch normalisation) show no time of their own.
/// </summary>
internal sealed class LayerProfileOutput : ITrainingCallback, IDisposable
{
    private readonly CliContext context;
    private readonly Layer model;
    private LayerProfiler profiler;
    private int steps;

    public LayerProfileOutput(CliContext context, Layer model)
    {
        (this.context, this.model) = (context, model);
        profiler = new LayerProfiler(model, trainingOnly: true);
    }

    public void OnStep(TrainingProgress progress, TrainingContext trainingContext) => steps++;

    public void OnEpochEnd(EpochReport report, TrainingContext trainingContext)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (steps > 0)
        {
            Print(report.Epoch, profiler.Rows(steps));
        }
        profiler.Dispose();
        profiler = new LayerProfiler(model, trainingOnly: true);
        steps = 0;
    }

    public void Dispose() => profiler.Dispose();

    private void Print(int epoch, IReadOnlyList<LayerProfileRow> rows)
    {
        double total = rows.Where(r => r.Depth == 0).Sum(r => r.ForwardSeconds + r.BackwardSeconds);
        TextWriter output = context.Output;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"profile of epoch {epoch + 1}: {total * 1e3:F2} ms per step in the layers over {steps:N0} steps (forward and backward ms per step, share)"));
        int width = Math.Max(24, rows.Max(r => (2 * r.Depth) + r.Name.Length + r.Type.Length + 1));
        foreach (LayerProfileRow row in rows)
        {
            string name = (new string(' ', 2 * row.Depth) + row.Name + " " + row.Type).PadRight(width);
            double seconds = row.ForwardSeconds + row.BackwardSeconds;
            string share = row.OwnSeconds is null && total > 0 ? (seconds / total).ToString("P0", CultureInfo.InvariantCulture) : "";
            string own = row.OwnSeconds is double ownSeconds ? string.Create(CultureInfo.InvariantCulture, $"  (outside its layers {ownSeconds * 1e3:F2})") : "";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {name}  {row.ForwardSeconds * 1e3,8:F2}  {row.BackwardSeconds * 1e3,8:F2}  {share,5}{own}"));
        }
    }
}
