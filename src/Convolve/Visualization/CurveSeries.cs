namespace Convolve.Visualization;

/// <summary>One line of a chart: a name for the legend, a colour, and its points (x ascending).</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Colour">Line colour.</param>
/// <param name="X">The x values.</param>
/// <param name="Y">The y values, one per x.</param>
public sealed record CurveSeries(string Name, Rgb Colour, IReadOnlyList<double> X, IReadOnlyList<double> Y);
