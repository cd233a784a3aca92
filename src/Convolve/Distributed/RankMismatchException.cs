namespace Convolve.Distributed;

/// <summary>
/// The ranks of a distributed run were not started alike (model, batch, seed, data, convolution
/// algorithm, SIMD level…), found by <see cref="ConfigurationCheck"/> before the first step. Every
/// rank throws it with the same message, which names each differing rank, item and both values.
/// </summary>
public sealed class RankMismatchException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public RankMismatchException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public RankMismatchException()
        : base("the ranks are not set up alike")
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public RankMismatchException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
