using System.Diagnostics;

namespace Convolve.Tests.Distributed;

/// <summary>
/// Runs a program of the test folder under <c>mpirun</c> on this machine, over TCP
/// (<c>--mca btl self,tcp</c>, so the network path is exercised, not shared memory), and captures
/// what all the ranks print.
/// </summary>
internal static class MpiRun
{
    /// <summary>The launcher, found on PATH, or null.</summary>
    public static string? Launcher { get; } = (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
        .Select(folder => Path.Combine(folder, "mpirun"))
        .FirstOrDefault(File.Exists);

    public sealed record Result(int ExitCode, string Output, string Error, TimeSpan Elapsed);

    /// <summary>Starts <paramref name="ranks"/> copies of the .NET program <paramref name="dll"/> (beside the tests) with <paramref name="arguments"/>.</summary>
    public static Result Start(int ranks, string dll, params string[] arguments)
    {
        var start = new ProcessStartInfo(Launcher ?? throw new InvalidOperationException("mpirun is not installed"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in (string[])["--allow-run-as-root", "--oversubscribe", "--mca", "btl", "self,tcp", "-np", ranks.ToString(System.Globalization.CultureInfo.InvariantCulture), DotnetHost(), Path.Combine(AppContext.BaseDirectory, dll), .. arguments])
        {
            start.ArgumentList.Add(argument);
        }
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start mpirun");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"mpirun {string.Join(' ', arguments)} did not finish within 3 minutes");
        }
        return new Result(process.ExitCode, output.Result, error.Result, clock.Elapsed);
    }

    // `dotnet test` runs the tests under the dotnet host; fall back to the SDK's hint or PATH.
    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet")
        {
            return current;
        }
        return Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } hint ? hint : "dotnet";
    }
}

/// <summary>A test that needs Open MPI's mpirun; skipped, saying so, where it is not installed.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class MpiFactAttribute : FactAttribute
{
    public MpiFactAttribute()
    {
        if (MpiRun.Launcher is null)
        {
            Skip = "mpirun is not installed (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev); .ci/run installs it";
        }
    }
}
