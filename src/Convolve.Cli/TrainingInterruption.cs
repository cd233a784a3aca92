using System.Runtime.InteropServices;

namespace Convolve.Cli;

/// <summary>
/// Ctrl-C (SIGINT) during training: the first one stops the run before its next step instead of
/// killing the process, so an epoch's checkpoints are never cut short and the train command can say
/// what is left (a run folder with no checkpoint yet is removed); a second Ctrl-C kills at once.
/// Only for a run in one process: the ranks of a distributed run are stopped by mpirun.
/// </summary>
internal sealed class TrainingInterruption : IDisposable
{
    /// <summary>The exit code of a run stopped by Ctrl-C (128 + SIGINT, as a shell reports it).</summary>
    public const int ExitCode = 130;

    private readonly CancellationTokenSource stop = new();
    private readonly PosixSignalRegistration? registration;

    private TrainingInterruption(bool listen)
    {
        registration = listen ? PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal) : null;
    }

    /// <summary>Listens for Ctrl-C until disposed; <paramref name="listen"/> false gives a token that never fires.</summary>
    public static TrainingInterruption Listen(bool listen) => new(listen);

    /// <summary>Cancelled by the first Ctrl-C.</summary>
    public CancellationToken Token => stop.Token;

    /// <summary>Whether Ctrl-C was pressed.</summary>
    public bool Requested => stop.IsCancellationRequested;

    private void OnSignal(PosixSignalContext signal)
    {
        if (stop.IsCancellationRequested)
        {
            return; // the second Ctrl-C: the default action, the process ends now
        }
        signal.Cancel = true;
        stop.Cancel();
    }

    public void Dispose()
    {
        registration?.Dispose();
        stop.Dispose();
    }
}

/// <summary>A run stopped by Ctrl-C; the message says what it left. Exits with <see cref="TrainingInterruption.ExitCode"/>.</summary>
internal sealed class RunInterruptedException(string message) : Exception(message);
