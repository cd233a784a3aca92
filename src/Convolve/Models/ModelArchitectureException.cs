namespace Convolve.Models;

/// <summary>
/// An architecture description that <see cref="ModelArchitecture.FromJson"/> cannot accept: the
/// message names the JSON path of the problem (e.g. <c>$.layers[3].kernel_size</c>) and what was
/// expected there. It is a <see cref="FormatException"/>, the exception for malformed text.
/// </summary>
public sealed class ModelArchitectureException : FormatException
{
    /// <summary>Creates the exception with a message of the form <c>{jsonPath}: {problem}</c>.</summary>
    public ModelArchitectureException(string jsonPath, string problem, Exception? innerException = null)
        : base($"{jsonPath}: {problem}", innerException)
    {
        JsonPath = jsonPath;
    }

    /// <summary>Creates the exception with a message only.</summary>
    public ModelArchitectureException(string message) : base(message)
    {
        JsonPath = "";
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    public ModelArchitectureException(string message, Exception innerException) : base(message, innerException)
    {
        JsonPath = "";
    }

    /// <summary>Creates the exception with the default message.</summary>
    public ModelArchitectureException()
    {
        JsonPath = "";
    }

    /// <summary>Where the problem is, as a JSON path from the root <c>$</c>, e.g. <c>$.layers[3].kernel_size</c>.</summary>
    public string JsonPath { get; }
}
