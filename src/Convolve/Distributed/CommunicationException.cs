namespace Convolve.Distributed;

/// <summary>
/// A collective operation between the ranks failed: MPI returned an error code (a rank died or the
/// network failed), or the ranks found that they were not set up alike. The message names the
/// operation and the rank; after it the job cannot continue and must be aborted.
/// </summary>
public sealed class CommunicationException : Exception
{
    /// <summary>Creates the exception with its message.</summary>
    public CommunicationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a default message.</summary>
    public CommunicationException()
        : base("a collective operation between the ranks failed")
    {
    }

    /// <summary>Creates the exception with its message and cause.</summary>
    public CommunicationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
