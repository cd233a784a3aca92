namespace Convolve.Cli.Report;

/// <summary>Everything report.html shows, computed before anything is written.</summary>
/// <param name="ModelName">The zoo model's name.</param>
/// <param name="ModelPath">The checkpoint evaluated (best.safetensors).</param>
/// <param name="DataDescription">Where the test set came from.</param>
/// <param name="History">The run's epochs, threads and SIMD level.</param>
/// <param name="Scores">The model's scores on the test set.</param>
/// <param name="ClassNames">Display names of the classes.</param>
/// <param name="Wrong">The most confidently wrong images with their pictures (PNG).</param>
/// <param name="Filters">The first convolution's kernels (PNG), or null for a model without one.</param>
/// <param name="Recipe">The training options, as recorded in the checkpoint.</param>
internal sealed record ReportContent(
    string ModelName, string ModelPath, string DataDescription, RunHistory History, ReportScores Scores, IReadOnlyList<string> ClassNames,
    IReadOnlyList<(SampleScore Sample, byte[] Png)> Wrong, byte[]? Filters, IReadOnlyList<(string Key, string Value)> Recipe);
