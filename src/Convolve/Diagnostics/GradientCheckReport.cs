namespace Convolve.Diagnostics;

/// <summary>The outcome of a <see cref="GradientCheck"/>: every compared element and the worst mismatch.</summary>
public sealed class GradientCheckReport
{
    private readonly List<GradientCheckEntry> entries = [];

    /// <summary>Every compared element.</summary>
    public IReadOnlyList<GradientCheckEntry> Entries => entries;

    /// <summary>Adds one comparison.</summary>
    public void Add(string tensor, int index, double analytic, double numeric) =>
        entries.Add(new GradientCheckEntry(tensor, index, analytic, numeric));

    /// <summary>
    /// The entries whose difference exceeds <c>absoluteTolerance + relativeTolerance·max(|analytic|, |numeric|)</c>.
    /// </summary>
    public IEnumerable<GradientCheckEntry> Failures(double relativeTolerance, double absoluteTolerance) =>
        entries.Where(e => Math.Abs(e.Analytic - e.Numeric) > absoluteTolerance + relativeTolerance * Math.Max(Math.Abs(e.Analytic), Math.Abs(e.Numeric)));

    /// <summary>A readable description of up to <paramref name="limit"/> failures.</summary>
    public string Describe(double relativeTolerance, double absoluteTolerance, int limit = 10) =>
        string.Join(Environment.NewLine, Failures(relativeTolerance, absoluteTolerance).Take(limit).Select(e => e.ToString()));
}

/// <summary>One compared element: which tensor, which flat index, and both gradient values.</summary>
public readonly record struct GradientCheckEntry(string Tensor, int Index, double Analytic, double Numeric)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Tensor}[{Index}]: analytic {Analytic:G9} vs numeric {Numeric:G9}";
}
