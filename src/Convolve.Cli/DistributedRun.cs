using System.Runtime.InteropServices;
using Convolve.Distributed;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// One rank of <c>mpirun -np P convolve train --distributed</c>: initialises MPI, gives rank 0 the
/// output (plain lines, no live bar) and every other rank a silent one, and ends the job cleanly on failure. Failures that
/// every rank meets alike (ranks not started alike, a diverged step, shards that cannot be shared)
/// are printed once, by rank 0, and every rank exits with code 2 after finalising MPI; a failure of
/// one rank alone is printed by that rank, with its number, and ends every rank at once (MPI_Abort).
/// When mpirun stops this rank because another one ended, a line says so.
/// </summary>
internal sealed class DistributedRun : IDisposable
{
    private readonly PosixSignalRegistration stopped;
    private readonly TextWriter plain;

    private DistributedRun(MpiCommunicator communicator, CliContext context)
    {
        Communicator = communicator;
        // mpirun forwards each rank's output through its daemons, where a live progress bar turns into
        // wrapped fragments: rank 0 prints plain lines (a writer of its own on standard output is not
        // the terminal CliContext.IsInteractive looks for).
        plain = communicator.Rank != 0 ? TextWriter.Null
            : ReferenceEquals(context.Output, Console.Out) ? new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true }
            : context.Output;
        Context = new CliContext(plain, context.Error);
        stopped = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => context.Error.WriteLine(
            $"convolve: {Who}: stopped by mpirun: another rank ended or the job was cancelled; {(CheckpointFolder is null ? "no checkpoint was written" : $"the checkpoints in {CheckpointFolder} are those of the last completed epoch")}"));
    }

    public MpiCommunicator Communicator { get; }

    /// <summary>The streams of this rank: the real ones on rank 0, a silent output elsewhere.</summary>
    public CliContext Context { get; }

    /// <summary>Where rank 0 writes checkpoints, for the message of a stopped rank.</summary>
    public string? CheckpointFolder { get; set; }

    private string Who => $"rank {Communicator.Rank} of {Communicator.Size}";

    /// <summary>Initialises MPI for <c>--distributed</c>; a collective waits at most <paramref name="timeoutSeconds"/>.</summary>
    public static DistributedRun Start(CliContext context, double timeoutSeconds)
    {
        try
        {
            var communicator = MpiCommunicator.Initialize(TimeSpan.FromSeconds(timeoutSeconds), message => context.Error.WriteLine($"convolve: {message}"));
            return new DistributedRun(communicator, context);
        }
        catch (MpiUnavailableException ex)
        {
            throw new UserErrorException($"--distributed: {ex.Message}");
        }
    }

    /// <summary>Runs this rank's part and ends MPI as the outcome requires (see the class summary).</summary>
    public int Run(Func<int> train)
    {
        try
        {
            int code = train();
            Communicator.Barrier();
            return code;
        }
        catch (Exception ex) when (ex is RankMismatchException or TrainingDivergedException or SharedFailure)
        {
            // Rank 0 prints before any rank exits: mpirun stops the job at the first non-zero exit.
            if (Communicator.Rank == 0)
            {
                Context.Error.WriteLine($"convolve: {CliErrors.Describe(ex)}");
                Context.Error.Flush();
            }
            Communicator.Barrier();
            return CliApp.UserError;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            bool user = CliErrors.IsUserError(ex);
            Context.Error.WriteLine($"convolve: {Who}: {(user ? CliErrors.Describe(ex) : $"internal error: {ex.GetType().Name}: {ex.Message}")}; stopping every rank");
            Context.Error.Flush();
            Communicator.Abort(user ? CliApp.UserError : CliApp.InternalError);
            throw;
        }
    }

    /// <summary>Finalises MPI.</summary>
    public void Dispose()
    {
        stopped.Dispose();
        plain.Flush();
        Communicator.Dispose();
    }

    /// <summary>A user error that every rank meets alike (from the same options), so only rank 0 reports it.</summary>
    internal sealed class SharedFailure(string message) : Exception(message);
}
