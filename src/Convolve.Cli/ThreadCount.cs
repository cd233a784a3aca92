using System.CommandLine;
using System.Globalization;
using Convolve.Kernels;

namespace Convolve.Cli;

/// <summary>
/// The one place the tool decides how many threads the kernels use, for every command alike:
/// <c>--threads</c> (an option of every command), else <c>CONVOLVE_THREADS</c>, else all cores; a
/// process started by <c>mpirun</c> (a rank of <c>train --distributed</c>) shares the cores with the
/// other ranks on its machine, so its default is the cores divided by those ranks. <see cref="CliApp"/>
/// resolves the count once and runs the command inside <see cref="Parallelism.Use"/>; training,
/// evaluation, prediction, pictures, reports, image-folder loading and GEMM all read it from there
/// (<see cref="Parallelism.MaxThreads"/>), and nothing else in the tool sets it.
/// </summary>
internal static class ThreadCount
{
    /// <summary>The variable Open MPI sets in every rank to the number of ranks on that machine.</summary>
    public const string LocalRanksVariable = "OMPI_COMM_WORLD_LOCAL_SIZE";

    /// <summary>The <c>--threads</c> option, on the root command and every command below it.</summary>
    public static Option<int?> CreateOption()
    {
        Option<int?> option = CliOptions.OptionalInteger("--threads",
            $"Threads the kernels may use, 1 to {Environment.ProcessorCount} (default: ${Parallelism.EnvironmentVariable}, else all cores; "
            + "under mpirun, the cores divided by the ranks on this machine)",
            min: 1, max: Environment.ProcessorCount, alias: "-j");
        option.Recursive = true;
        return option;
    }

    /// <summary>The thread count of this process's command: <paramref name="option"/>, else the environment's, else the default.</summary>
    public static int Resolve(int? option) => Resolve(option,
        Environment.GetEnvironmentVariable(Parallelism.EnvironmentVariable), Environment.GetEnvironmentVariable(LocalRanksVariable), Environment.ProcessorCount);

    /// <summary>
    /// The rule, apart from the process: <c>--threads</c>, else <c>CONVOLVE_THREADS</c> (already checked by
    /// <see cref="CliEnvironment.Validate"/>), else <paramref name="cores"/> shared by the ranks on this machine.
    /// </summary>
    internal static int Resolve(int? option, string? variable, string? localRanks, int cores)
    {
        if (option is int given)
        {
            return given;
        }
        if (!string.IsNullOrWhiteSpace(variable))
        {
            return int.Parse(variable.Trim(), CultureInfo.InvariantCulture);
        }
        int ranks = int.TryParse(localRanks, NumberStyles.None, CultureInfo.InvariantCulture, out int count) && count > 0 ? count : 1;
        return Math.Max(1, cores / ranks);
    }
}
