using System.Globalization;
using Convolve.Data;
using Convolve.Distributed;
using Convolve.Layers;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// The data-parallel side of `convolve train`: the workers for <c>--shards</c> in one process, or,
/// with <c>--distributed</c>, the check that every rank was started alike, rank 0's state broadcast
/// to the others, and the workers over MPI.
/// </summary>
internal static class ShardedTraining
{
    /// <summary>
    /// The recipe with its shard count settled: for a new run as given, else the number of ranks (1 in
    /// one process); for a resumed run its own (one for a run of a version without shards), unless
    /// <paramref name="given"/> changes it, which <paramref name="notes"/> then says. Refuses, on every
    /// rank alike, a count the ranks cannot share.
    /// </summary>
    public static TrainRecipe Resolve(TrainRecipe recipe, bool resumed, int? given, DistributedRun? distributed, List<string> notes)
    {
        int ranks = distributed?.Communicator.Size ?? 1;
        int own = resumed ? recipe.Shards ?? 1 : given ?? ranks;
        int shards = given ?? own;
        if (shards != own)
        {
            notes.Add($"--shards {shards}: the run had {Count(own, "shard")}; it continues with {shards}, so from here on its weights are those of a run with --shards {shards}, not of one that kept {own}");
        }
        if (!ShardPlan.Splits(shards, ranks))
        {
            string message = $"--shards {shards} cannot be shared by {ranks} ranks (each rank's shards must form one subtree of the fixed summation tree): "
                + $"run on {Either(ShardPlan.RankCounts(shards))} ranks, or "
                + (resumed ? $"continue the run with --shards {ranks} (its weights then follow a {ranks}-shard run)" : "choose another --shards (a power of two splits over every power of two up to it)");
            throw distributed is null ? new UserErrorException(message) : new DistributedRun.SharedFailure(message);
        }
        return recipe with { Shards = shards };
    }

    /// <summary>The workers of the run, or null for the plain one-process trainer (one shard, no MPI).</summary>
    public static DataParallel? Workers(TrainRecipe recipe, DistributedRun? distributed, Layer model, Optimizer optimizer, Dataset train, Dataset test, TrainingCheckpoint? resumed)
    {
        int shards = recipe.Shards ?? 1;
        if (distributed is null)
        {
            return shards == 1 ? null : new DataParallel(new LocalCommunicator(), model, shards);
        }
        ICommunicator communicator = distributed.Communicator;
        ConfigurationCheck.Require(communicator,
        [
            ("model", recipe.Model),
            ("architecture", ModelArchitecture.ToJson(model)),
            ("--batch-size", recipe.BatchSize.ToString(CultureInfo.InvariantCulture)),
            ("--shards", shards.ToString(CultureInfo.InvariantCulture)),
            ("--seed", recipe.Seed.ToString(CultureInfo.InvariantCulture)),
            ("other training options", (recipe with { Data = null, DataFingerprint = null, BatchSize = 0, Shards = null, Seed = 0 }).ToJson()),
            ("training data", ConfigurationCheck.Fingerprint(train)),
            ("test data", ConfigurationCheck.Fingerprint(test)),
            ("resume point", resumed is null ? "none" : $"after epoch {resumed.CompletedEpoch + 1}, step {resumed.GlobalStep}"),
        ]);
        ModelBroadcast.FromRoot(communicator, model, optimizer);
        return new DataParallel(communicator, model, shards);
    }

    /// <summary>Says what the workers (if any) will do, before training: ranks, shards, and which runs give the same weights.</summary>
    public static void Announce(TextWriter output, DataParallel? workers, DistributedRun? distributed, int batchSize)
    {
        if (workers is null)
        {
            return;
        }
        ShardPlan plan = workers.Plan;
        string ranks = distributed is null ? "1 process" : $"{Count(plan.Ranks, "rank")} over Open MPI ({distributed.Communicator.LibraryName})";
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data-parallel: {ranks}, each batch of {batchSize} cut into {Count(plan.Shards, "gradient shard")}; any run with --batch-size {batchSize} --shards {plan.Shards} "
            + $"on {Either(ShardPlan.RankCounts(plan.Shards))} rank{(plan.Shards == 1 ? "" : "s")} ends with the same weights"));
    }

    /// <summary>"1 rank", "2 ranks".</summary>
    private static string Count(int count, string noun) => string.Create(CultureInfo.InvariantCulture, $"{count} {noun}{(count == 1 ? "" : "s")}");

    /// <summary>"1", "1 or 2", "1, 2 or 4".</summary>
    private static string Either(IReadOnlyList<int> counts) =>
        counts.Count == 1 ? counts[0].ToString(CultureInfo.InvariantCulture) : $"{string.Join(", ", counts.SkipLast(1))} or {counts[^1]}";

    /// <summary>Says, after training, what the workers (if any) exchanged per step and how long the exchanges took.</summary>
    public static void Describe(TextWriter output, DataParallel? workers, int batchSize)
    {
        if (workers is null)
        {
            return;
        }
        ShardPlan plan = workers.Plan;
        double perStep = workers.Steps == 0 ? 0 : workers.GradientTime.TotalMilliseconds / workers.Steps;
        double exchange = workers.Steps == 0 ? 0 : workers.CommunicationTime.TotalMilliseconds / workers.Steps;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"data-parallel: {Count(plan.Ranks, "rank")}, {Count(plan.Shards, "shard")} of {batchSize / (double)plan.Shards:0.#} images; "
            + $"each rank sent {workers.ValuesPerStep * sizeof(float) / 1e6:0.###} MB per step; the exchanges took {exchange:0.##} ms of the {perStep:0.#} ms of a step's gradient ({(perStep > 0 ? 100 * exchange / perStep : 0):0.#} %)"));
    }
}
