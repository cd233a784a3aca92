using System.Globalization;
using Convolve.Kernels;

namespace Convolve.Cli;

/// <summary>
/// Checks the environment variables that steer the kernels (<c>CONVOLVE_THREADS</c>,
/// <c>CONVOLVE_SIMD</c>, <c>CONVOLVE_GEMM</c>) before any command runs, so that a bad value is a
/// user error on every command, not an internal error wherever a kernel first reads it.
/// </summary>
internal static class CliEnvironment
{
    /// <summary>Throws a <see cref="UserErrorException"/> naming the variable and its value when one is invalid.</summary>
    public static void Validate()
    {
        try
        {
            _ = Simd.Level;
            _ = Gemm.Backend;
            _ = Parallelism.MaxThreads;
        }
        catch (InvalidOperationException ex)
        {
            throw new UserErrorException(ex.Message);
        }
        string? threads = Environment.GetEnvironmentVariable(Parallelism.EnvironmentVariable);
        if (int.TryParse(threads, NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out int count)
            && count > Environment.ProcessorCount)
        {
            throw new UserErrorException(
                $"{Parallelism.EnvironmentVariable}=\"{threads}\" is more than the {Environment.ProcessorCount} cores of this machine; threads beyond the cores only compete for them");
        }
    }
}
