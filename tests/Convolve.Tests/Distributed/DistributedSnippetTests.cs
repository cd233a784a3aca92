using System.Runtime.CompilerServices;
using Convolve.Data;
using Convolve.Distributed;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Tests.Readme;
using Convolve.Training;

namespace Convolve.Tests.Distributed;

/// <summary>
/// The README's data-parallel library snippet is the body of <see cref="Snippet"/>, so it compiles
/// with the tests. It is not run here: MPI can be initialised once per process, and the processes
/// that train under mpirun are checked by tools/distributed/check_distributed.sh.
/// </summary>
public sealed class DistributedSnippetTests
{
    [Fact]
    public void The_readme_snippet_is_this_code()
    {
        string source = File.ReadAllText(SourcePath()).Replace("\r", "", StringComparison.Ordinal);
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", "..", "README.md")).Replace("\r", "", StringComparison.Ordinal);
        string body = ReadmeText.Dedent(ReadmeText.Between(source, "        // README: begin code\n", "        // README: end code\n"), 8);
        string snippet = ReadmeText.Between(readme, "everything else is the one-process code.\n\n```csharp\nusing Convolve.Distributed;\n\n", "```\n");
        Assert.Equal(body, snippet);
    }

    internal static void Snippet(Layer model, Optimizer optimizer, CrossEntropyLoss loss, Dataset train, Dataset test)
    {
        // README: begin code
        using var world = MpiCommunicator.Initialize(timeout: TimeSpan.FromMinutes(2));
        ConfigurationCheck.Require(world, [("seed", "1"), ("data", ConfigurationCheck.Fingerprint(train))]);
        ModelBroadcast.FromRoot(world, model, optimizer);                  // every rank starts from rank 0's state
        var trainer = new Trainer(model, optimizer, loss, new TrainerOptions
        {
            Epochs = 10,
            Workers = new DataParallel(world, model, shards: 4),           // same weights on 1, 2 or 4 ranks
            Callbacks = world.Rank == 0 ? [new CheckpointCallback("runs/x")] : [],
        });
        trainer.Fit(new DataLoader(train, 64, seed: 1), test);              // 64: the global batch, on every rank
        // README: end code
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
