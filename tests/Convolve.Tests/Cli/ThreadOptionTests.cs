using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Convolve.Cli;
using Convolve.Cli.Commands;
using Convolve.Data;
using Convolve.Kernels;

namespace Convolve.Tests.Cli;

/// <summary>
/// One owner of the thread count: every command takes <c>--threads</c>, runs its whole body with the count
/// it asks for (seen by a writer that notes <see cref="Parallelism.MaxThreads"/> whenever the command
/// prints) and leaves the process-wide count as it found it; the rule of the default is one function; and
/// no other part of the tool sets or resolves the count.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide Parallelism.MaxThreads
public sealed partial class ThreadOptionTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-threads-").FullName;

    /// <summary>A count no command resolves to here (more than the cores): a command that ran on the count it found would show it.</summary>
    private static readonly int Outside = Environment.ProcessorCount + 5;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private string In(string name) => Path.Combine(folder, name);

    private static string Sample => DatasetLocator.SampleDirectory;

    [Fact]
    public void Every_command_runs_with_the_threads_asked_for_and_restores_the_count_it_found()
    {
        using IDisposable outside = Parallelism.Use(Outside);
        string run = In("run"), best = Path.Combine(run, "best.safetensors");
        var train = Run(["train", "--model", "lenet5", "--data", Sample, "--limit", "64", "--batch-size", "32", "--epochs", "1", "-o", run, "--threads", "1"]);
        Assert.Contains("; 1 thread, SIMD", train.Output, StringComparison.Ordinal);
        using (JsonDocument history = JsonDocument.Parse(File.ReadAllText(Path.Combine(run, "history.json"))))
        {
            Assert.Equal(1, history.RootElement.GetProperty("threads").GetInt32());
        }
        Assert.Contains("threads: 1 of", Run(["info", "--threads", "1"]).Output, StringComparison.Ordinal);
        string[][] commands =
        [
            ["eval", best, "--data", Sample],
            ["predict", best, "--index", "0", "--data", Sample],
            ["summary", "lenet5"],
            ["shapes", "--input", "6", "--kernel", "3"],
            ["inspect", best],
            ["visualize", "filters", best, "-o", In("filters.png")],
            ["visualize", "features", best, "--index", "0", "--data", Sample, "-o", In("features.png")],
            ["visualize", "saliency", best, "--index", "0", "--data", Sample, "-o", In("saliency.png")],
            ["visualize", "deconv", best, "--layer", "conv1", "--channels", "0", "--top", "1", "--limit", "4", "--data", Sample, "-o", In("deconv")],
            ["report", run, "-o", In("report")],
            ["explain", "pool", "--input", "4", "--kernel", "2", "--animate", In("pool.gif")],
            ["export", best, "--format", "onnx", "-o", In("m.onnx")],
            ["import", In("m.onnx"), "-o", In("back.safetensors")],
        ];
        foreach (string[] command in commands)
        {
            Run([.. command, "--threads", "1"]);
        }
        if (Environment.ProcessorCount >= 2)
        {
            Assert.Contains("threads: 2 of", Run(["info", "-j", "2"]).Output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_command_that_fails_restores_the_count_too()
    {
        using IDisposable outside = Parallelism.Use(Outside);
        using var output = new StringWriter();
        using var error = new StringWriter();
        Assert.Equal(CliApp.UserError, CliApp.Run(["eval", In("missing.safetensors"), "--threads", "1"], output, error));
        Assert.Equal(Outside, Parallelism.MaxThreads);
    }

    [Theory]
    [InlineData(1, "2", "2", 8, 1)] // --threads first
    [InlineData(null, "3", "4", 8, 3)] // then CONVOLVE_THREADS, even under mpirun
    [InlineData(null, null, null, 8, 8)] // then all cores
    [InlineData(null, " ", "2", 8, 4)] // an empty variable is not set; two ranks on this machine share its cores
    [InlineData(null, null, "3", 8, 2)]
    [InlineData(null, null, "16", 8, 1)] // never below one
    [InlineData(null, null, "x", 8, 8)] // not a count: not under mpirun
    public void The_count_is_threads_else_the_environment_else_the_cores_shared_by_the_ranks_here(int? option, string? variable, string? localRanks, int cores, int expected) =>
        Assert.Equal(expected, ThreadCount.Resolve(option, variable, localRanks, cores));

    [Fact]
    public void Help_of_every_command_names_threads_and_its_default()
    {
        foreach (string[] command in (string[][])[["train"], ["eval"], ["predict"], ["summary"], ["info"], ["visualize", "deconv"], ["visualize", "saliency"], ["report"], ["explain", "conv"], ["export"]])
        {
            string help = CliRunner.Run([.. command, "--help"]).Output;
            Assert.Matches(@"-j, --threads <threads>\s+Threads the kernels may use, 1 to \d+ \(default: \$CONVOLVE_THREADS, else all cores; under mpirun", help);
        }
    }

    [Fact]
    public void Nothing_in_the_tool_but_its_entry_point_sets_or_resolves_the_count()
    {
        string root = Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", "..", "src", "Convolve.Cli");
        var sources = Directory.GetFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(root, f), File.ReadAllText);
        Assert.True(sources.Count > 30, $"read {sources.Count} sources under {root}");
        Assert.Empty(sources.Where(s => Assignment().IsMatch(s.Value)).Select(s => s.Key));
        Assert.Equal(["CliApp.cs"], sources.Where(s => s.Value.Contains("Parallelism.Use(", StringComparison.Ordinal)).Select(s => s.Key));
        Assert.Equal(["ThreadCount.cs"], sources.Where(s => s.Value.Contains("\"--threads\"", StringComparison.Ordinal)).Select(s => s.Key));
        // The three places that resolved it before: train's request and plan, and the distributed default.
        Assert.Null(typeof(TrainRequest).GetProperty("Threads"));
        Assert.Null(typeof(TrainPlan).GetProperty("Threads"));
        Assert.Null(typeof(DistributedRun).GetMethod("DefaultThreads"));
    }

    /// <summary>Runs one command, which must succeed, and requires that every line it printed was printed with one thread and that the count is restored.</summary>
    private static CliRunner.Result Run(string[] args)
    {
        using var output = new CountingWriter();
        using var error = new StringWriter();
        int code = CliApp.Run(args, output, error);
        string shown = string.Join(' ', args);
        Assert.True(code == CliApp.Success, $"{shown}: exit {code}: {error}");
        Assert.True(output.Seen.Count > 0, $"{shown} printed nothing");
        int expected = int.Parse(args[Array.FindLastIndex(args, a => a is "--threads" or "-j") + 1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(output.Seen.All(seen => seen == expected), $"{shown}: printed with {string.Join(", ", output.Seen.Distinct())} thread(s)");
        Assert.Equal(Outside, Parallelism.MaxThreads);
        return new CliRunner.Result(code, output.ToString(), error.ToString());
    }

    [GeneratedRegex(@"MaxThreads\s*=[^=]")]
    private static partial Regex Assignment();

    private static string SourcePath([CallerFilePath] string path = "") => path;

    /// <summary>A writer that notes the thread count the kernels would use at each thing written.</summary>
    private sealed class CountingWriter : StringWriter
    {
        public List<int> Seen { get; } = [];

        public override void Write(char value)
        {
            Seen.Add(Parallelism.MaxThreads);
            base.Write(value);
        }

        public override void Write(string? value)
        {
            Seen.Add(Parallelism.MaxThreads);
            base.Write(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            Seen.Add(Parallelism.MaxThreads);
            base.Write(buffer, index, count);
        }

        public override void WriteLine(string? value)
        {
            Seen.Add(Parallelism.MaxThreads);
            base.WriteLine(value);
        }
    }
}
