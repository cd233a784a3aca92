namespace Convolve.Distributed;

/// <summary>
/// Distributed training was asked for but Open MPI's <c>libmpi</c> cannot be loaded or is not
/// Open MPI's; the message says what to install.
/// </summary>
public sealed class MpiUnavailableException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public MpiUnavailableException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public MpiUnavailableException()
        : base("Open MPI's libmpi is not available")
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public MpiUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
