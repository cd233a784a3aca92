using System.Globalization;

namespace Convolve.Tests.Distributed;

/// <summary>
/// The P/Invoke layer over Open MPI, in three real processes started by mpirun
/// (tests/Convolve.MpiChild): each rank prints what every collective gave it.
/// </summary>
public class MpiCommunicatorTests
{
    private const string Child = "Convolve.MpiChild.dll";

    [MpiFact]
    public void EveryCollectiveGivesEachRankWhatMpiDefines()
    {
        var run = MpiRun.Start(3, Child, "collectives");
        Assert.True(run.ExitCode == 0, $"exit {run.ExitCode}: {run.Error}");
        for (int rank = 0; rank < 3; rank++)
        {
            // Rank r contributes r + 0.5 and 10r; 2^-r; 200 + r; sums of r + 1 and 2^r; 0.25r; max of 3r mod 5.
            Expect(run.Output, rank, "allgather-float", "0.5 0 1.5 10 2.5 20");
            Expect(run.Output, rank, "allgather-double", "1 0.5 0.25");
            Expect(run.Output, rank, "allgather-byte", "200 201 202");
            Expect(run.Output, rank, "sum-double", $"{1 + 2 + 3} {1 + 2 + 4}");
            Expect(run.Output, rank, "sum-float", (0.25 * (0 + 1 + 2)).ToString(CultureInfo.InvariantCulture));
            Expect(run.Output, rank, "max-double", "3");
            Expect(run.Output, rank, "broadcast-float", "7.25 -1");
            Expect(run.Output, rank, "broadcast-byte", "42");
            Assert.Contains($"rank {rank} done", run.Output, StringComparison.Ordinal);
        }
    }

    [MpiFact]
    public void AnMpiErrorComesBackAsAnExceptionWithMpisMessage()
    {
        var run = MpiRun.Start(2, Child, "truncate");
        Assert.Contains("rank 1 error MPI_Bcast of 16 bytes on rank 1 of 2 failed with MPI error 15: MPI_ERR_TRUNCATE: message truncated", run.Output, StringComparison.Ordinal);
    }

    [MpiFact]
    public void ARankThatWaitsTooLongStopsTheJobWithAMessage()
    {
        var run = MpiRun.Start(2, Child, "timeout");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("rank 0 of 2: MPI_Barrier of 0 bytes did not complete within 2 s: another rank has died or hangs; stopping this rank (exit code 3)", run.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("barrier-passed", run.Output, StringComparison.Ordinal);
        Assert.True(run.Elapsed < TimeSpan.FromSeconds(30), $"took {run.Elapsed}; rank 1 sleeps 60 s, so the timeout must have ended it");
    }

    private static void Expect(string output, int rank, string what, string values) =>
        Assert.Contains($"rank {rank} {what} {values}\n", output.Replace("\r", "", StringComparison.Ordinal), StringComparison.Ordinal);
}
