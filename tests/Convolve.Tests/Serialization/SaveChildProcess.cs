using System.Diagnostics;

namespace Convolve.Tests.Serialization;

/// <summary>
/// One run of tests/Convolve.SaveChild (built by the test project's ProjectReference and copied
/// beside the tests): started in standby, told to go, and killed with SIGKILL.
/// </summary>
internal sealed class SaveChildProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly Process process;
    private readonly Task<string?> ready;

    public SaveChildProcess(string target)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Convolve.SaveChild.dll"));
        start.ArgumentList.Add(target);
        process = Process.Start(start) ?? throw new InvalidOperationException("could not start Convolve.SaveChild");
        ready = process.StandardOutput.ReadLineAsync();
    }

    /// <summary>Waits until the child has warmed up, then lets it save from <paramref name="sequence"/> on.</summary>
    public void Go(long sequence)
    {
        if (!ready.Wait(StartTimeout) || ready.Result != "ready")
        {
            Assert.Fail($"Convolve.SaveChild did not become ready: {Describe()}");
        }
        process.StandardInput.WriteLine($"go {sequence}");
        process.StandardInput.Flush();
    }

    /// <summary>Kills the child (SIGKILL on Unix), after checking it had not died on its own.</summary>
    public void Kill()
    {
        if (process.HasExited)
        {
            Assert.Fail($"Convolve.SaveChild exited by itself: {Describe()}");
        }
        process.Kill();
        process.WaitForExit();
    }

    public void Dispose()
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit();
        }
        process.Dispose();
    }

    private string Describe() => process.HasExited
        ? $"exit code {process.ExitCode}, stderr: {process.StandardError.ReadToEnd()}"
        : "still running";

    // `dotnet test` runs the tests under the dotnet host; fall back to the SDK's hint or PATH.
    internal static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hint ? hint : "dotnet";
    }
}
