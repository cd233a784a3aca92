using Convolve.SaveChild;
using Convolve.Serialization;
using Convolve.Tensors;
using Xunit.Abstractions;

namespace Convolve.Tests.Serialization;

/// <summary>
/// Kills a process that saves 4 MB checkpoints in a loop at seeded random moments. After every
/// kill the target must load as one complete save (old or new, never older than the last seen),
/// and at most one temporary may remain: the one the killed save could not clean up. The next
/// save of the target sweeps it, so temporaries never accumulate.
/// </summary>
public class KillTests(ITestOutputHelper output)
{
    private const int Trials = 50;
    private const ulong Seed = 77;
    private const int Standby = 2;

    [Fact]
    public void A_save_killed_at_any_moment_leaves_a_complete_old_or_new_checkpoint()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.ckpt");
        CheckpointWriter.Save(path, KillTestContent.Tensors(0), KillTestContent.Metadata(0));
        var (last, advanced, leftovers) = KillRepeatedly(folder);
        output.WriteLine($"{Trials} kills: the file advanced in {advanced}, reached save {last}; {leftovers} kills left a temporary behind");
        Assert.True(advanced > 0, "no child completed a save before being killed; the test exercised nothing");

        CheckpointWriter.Save(path, KillTestContent.Tensors(last + 1), KillTestContent.Metadata(last + 1));
        Assert.Empty(folder.Temporaries());
        Assert.Equal(["model.ckpt"], folder.Names());
    }

    /// <summary>Runs the trials, keeping children warmed up in standby so that start-up time overlaps the previous trial.</summary>
    private static (long Last, int Advanced, int Leftovers) KillRepeatedly(TemporaryFolder folder)
    {
        var random = new RandomSource(Seed);
        var expected = new[] { KillTestContent.Weights(true), KillTestContent.Weights(false) };
        var waiting = new Queue<SaveChildProcess>();
        long last = 0;
        int advanced = 0, leftovers = 0;
        try
        {
            for (int i = 0; i < Standby; i++)
            {
                waiting.Enqueue(new SaveChildProcess(folder.File("model.ckpt")));
            }
            for (int trial = 0; trial < Trials; trial++)
            {
                using var child = waiting.Dequeue();
                child.Go(last + 1);
                waiting.Enqueue(new SaveChildProcess(folder.File("model.ckpt")));
                int delay = random.NextInt(4) == 0 ? random.NextInt(250) : random.NextInt(60);
                Thread.Sleep(delay);
                child.Kill();
                long sequence = CheckAfterKill(folder, expected, last, $"seed {Seed} trial {trial} (killed after {delay} ms)", out int temporaries);
                advanced += sequence > last ? 1 : 0;
                last = sequence;
                leftovers += temporaries;
            }
        }
        finally
        {
            while (waiting.Count > 0)
            {
                waiting.Dequeue().Dispose();
            }
        }
        return (last, advanced, leftovers);
    }

    /// <summary>The file is one whole save no older than the last one seen, and at most one temporary remains.</summary>
    private static long CheckAfterKill(TemporaryFolder folder, TensorData[] weights, long last, string where, out int temporaries)
    {
        long sequence = CheckComplete(folder.File("model.ckpt"), weights, where);
        Assert.True(sequence >= last, $"{where}: the file went back from save {last} to {sequence}");
        string[] names = folder.Temporaries();
        Assert.True(names.Length <= 1, $"{where}: temporaries accumulate: {string.Join(", ", names)}");
        temporaries = names.Length;
        return sequence;
    }

    /// <summary>Loads the file and checks it is one whole save; returns its sequence number.</summary>
    private static long CheckComplete(string path, TensorData[] weights, string where)
    {
        Checkpoint checkpoint;
        try
        {
            checkpoint = CheckpointReader.Load(path);
        }
        catch (CheckpointFormatException e)
        {
            Assert.Fail($"{where}: the file is not a complete checkpoint: {e.Message}");
            throw;
        }
        long sequence = long.Parse(checkpoint.Metadata["sequence"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(sequence == checkpoint["sequence"].ToInt64Array()[0], $"{where}: metadata and tensor disagree on the sequence");
        Assert.True(KillTestContent.ContentOf(sequence) == checkpoint.Metadata["content"], $"{where}: save {sequence} has the wrong content label");
        Assert.True(weights[sequence % 2].ContentEquals(checkpoint["weights"]), $"{where}: save {sequence} has the other save's weights");
        return sequence;
    }
}
