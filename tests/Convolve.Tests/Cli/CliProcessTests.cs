using Convolve.Data;

namespace Convolve.Tests.Cli;

/// <summary>
/// What only a fresh process shows: environment variables that the kernels read once, checked by
/// every command before it starts, CONVOLVE_THREADS obeyed by train, and a memory limit that a
/// batch would exceed refused with the estimate before any data is read.
/// </summary>
public sealed class CliProcessTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-cli-process-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Theory]
    [InlineData("CONVOLVE_THREADS", "0", "convolve: CONVOLVE_THREADS=\"0\" must be a positive integer (the most threads Convolve may use)")]
    [InlineData("CONVOLVE_THREADS", "abc", "convolve: CONVOLVE_THREADS=\"abc\" must be a positive integer (the most threads Convolve may use)")]
    [InlineData("CONVOLVE_SIMD", "999", "convolve: CONVOLVE_SIMD=\"999\" is not a SIMD level; use scalar, 128, 256 or 512")]
    [InlineData("CONVOLVE_GEMM", "mkl", "convolve: CONVOLVE_GEMM=\"mkl\" is not a GEMM backend; use managed or openblas")]
    public void A_bad_environment_variable_is_a_user_error_on_any_command(string name, string value, string expected)
    {
        foreach (string[] args in new[] { new[] { "info" }, ["shapes", "-i", "5", "-k", "3"], ["summary", "lenet5"] })
        {
            var result = CliProcess.Run(new Dictionary<string, string> { [name] = value }, args);
            Assert.Equal(expected, CliRunner.UserError(result));
        }
    }

    [Fact]
    public void More_threads_than_cores_in_the_environment_are_refused()
    {
        var result = CliProcess.Run(new Dictionary<string, string> { ["CONVOLVE_THREADS"] = "10000" }, "info");
        Assert.Equal($"convolve: CONVOLVE_THREADS=\"10000\" is more than the {Environment.ProcessorCount} cores of this machine; threads beyond the cores only compete for them", CliRunner.UserError(result));
    }

    [Fact]
    public void Train_uses_the_threads_the_environment_asks_for()
    {
        var result = CliProcess.Run(new Dictionary<string, string> { ["CONVOLVE_THREADS"] = "1" },
            "train", "--model", "lenet5", "--data", DatasetLocator.SampleDirectory, "--limit", "64", "--epochs", "1", "-o", Path.Combine(folder, "run"));
        Assert.True(result.ExitCode == 0, result.Error);
        Assert.Contains("; 1 thread, SIMD", result.Output, StringComparison.Ordinal);
        Assert.Contains("threads: 1 of", CliProcess.Run(new Dictionary<string, string> { ["CONVOLVE_THREADS"] = "1" }, "info").Output, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_that_would_exhaust_memory_is_refused_with_the_estimate_before_reading_data()
    {
        // A 192 MiB heap limit, as a container might set; 5,000 fashion-cnn images need gigabytes of activations.
        var limit = new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0xC000000" };
        var result = CliProcess.Run(limit, "train", "--data", DatasetLocator.SampleDirectory, "--batch-size", "5000", "-o", Path.Combine(folder, "run"));
        string line = CliRunner.UserError(result);
        Assert.StartsWith("convolve: --batch-size would need about ", line, StringComparison.Ordinal);
        Assert.Contains("activations and their gradients", line, StringComparison.Ordinal);
        Assert.EndsWith("this process may use; lower --batch-size", line, StringComparison.Ordinal);
        Assert.DoesNotContain("data:", result.Output, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(folder, "run")));
    }
}
