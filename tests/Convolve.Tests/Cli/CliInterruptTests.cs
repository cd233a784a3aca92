using System.Diagnostics;
using Convolve.Data;

namespace Convolve.Tests.Cli;

/// <summary>
/// Ctrl-C (SIGINT) during <c>convolve train</c>: the run stops before its next step, says what it
/// left and exits with 130; before the first epoch ends nothing is left (the run folder it made is
/// removed), after it the folder holds whole checkpoints that resume.
/// </summary>
public sealed class CliInterruptTests : IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("convolve-interrupt-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    [Fact]
    public void Ctrl_c_in_the_first_epoch_leaves_no_run_folder_and_says_so()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // SIGINT is sent with kill(1) and reset to its default with env(1)
        }
        string run = Path.Combine(folder, "runs", "first");
        var (code, error) = Interrupt(line => line.StartsWith("epoch 1/2 step", StringComparison.Ordinal),
            "train", "--data", DatasetLocator.SampleDirectory, "--epochs", "2", "--threads", "1", "-o", run);
        Assert.True(code == 130, $"exit code {code}, stderr: {error}");
        Assert.Equal($"convolve: interrupted before the first epoch ended: nothing was saved, and {run} was removed", error.TrimEnd());
        Assert.False(Directory.Exists(Path.Combine(folder, "runs")), "the folders the run made are removed");
    }

    [Fact]
    public void Ctrl_c_after_an_epoch_leaves_whole_checkpoints_that_resume()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }
        string run = Path.Combine(folder, "later");
        var (code, error) = Interrupt(line => line.StartsWith("epoch 1:", StringComparison.Ordinal),
            "train", "--model", "lenet5", "--data", DatasetLocator.SampleDirectory, "--limit", "640", "--epochs", "1000", "--threads", "1", "-o", run);
        Assert.True(code == 130, $"exit code {code}, stderr: {error}");
        Assert.Equal($"convolve: interrupted; {run} holds the run as of its last completed epoch: continue it with convolve train --resume {run}", error.TrimEnd());
        Assert.All(Directory.GetFiles(run), file => Assert.Contains(Path.GetFileName(file), (string[])["last.safetensors", "best.safetensors", "history.json"]));
        var inspected = CliRunner.Run("inspect", Path.Combine(run, "last.safetensors"));
        Assert.True(inspected.ExitCode == 0, inspected.Error);
    }

    /// <summary>Starts the tool, sends SIGINT once a line of its output satisfies <paramref name="ready"/>, and returns its exit code and stderr.</summary>
    private static (int Code, string Error) Interrupt(Func<string, bool> ready, params string[] args)
    {
        using Process process = CliProcess.StartInterruptible(args);
        Task<string> error = process.StandardError.ReadToEndAsync();
        string? line;
        while ((line = process.StandardOutput.ReadLine()) is not null && !ready(line))
        {
        }
        if (line is null)
        {
            Assert.Fail($"the run ended before the line to interrupt at; stderr: {error.Result}");
        }
        using (Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            kill.WaitForExit();
        }
        _ = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(1)))
        {
            process.Kill();
            Assert.Fail("the run did not stop within a minute of Ctrl-C");
        }
        return (process.ExitCode, error.Result);
    }
}
