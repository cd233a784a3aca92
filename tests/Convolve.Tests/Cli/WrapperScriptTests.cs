using System.Diagnostics;

namespace Convolve.Tests.Cli;

/// <summary>
/// The <c>./convolve</c> launcher rebuilds only when an input of the Release build changed: files
/// that a Debug build generates under obj/ must not make every call rebuild (and print build
/// output). Run on a copy of the script in a scratch tree, with a stand-in <c>dotnet</c> that logs
/// its arguments.
/// </summary>
public sealed class WrapperScriptTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("convolve-wrapper-").FullName;

    public WrapperScriptTests()
    {
        string script = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "..", "..", "convolve");
        System.IO.File.Copy(script, Path.Combine(root, "convolve"));
        string fake = Path.Combine(root, "fake-bin", "dotnet");
        Directory.CreateDirectory(Path.GetDirectoryName(fake)!);
        System.IO.File.WriteAllText(fake, $"#!/usr/bin/env bash\necho \"$*\" >> '{Log}'\n");
        if (!OperatingSystem.IsWindows())
        {
            System.IO.File.SetUnixFileMode(fake, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(root, recursive: true);

    private string Log => Path.Combine(root, "dotnet.log");

    [Fact]
    public void The_first_build_says_so_on_stderr_and_a_built_tool_runs_silently()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the launcher is a bash script
        }
        File("src/Convolve/Layers/Conv2d.cs", DateTime.UtcNow.AddHours(-1));
        Directory.CreateDirectory(Path.Combine(root, "src/Convolve.Cli/bin/Release/net10.0"));   // the stand-in dotnet builds nothing
        var (steps, error) = RunWrapperWithError();
        Assert.Equal(["build", "run"], steps);
        Assert.Equal("building convolve (first run only)…", error.TrimEnd());

        File("src/Convolve.Cli/bin/Release/net10.0/Convolve.Cli.dll", DateTime.UtcNow);
        (steps, error) = RunWrapperWithError();
        Assert.Equal(["run"], steps);
        Assert.Equal("", error);
    }

    [Fact]
    public void Only_a_changed_release_input_rebuilds()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the launcher is a bash script
        }
        var past = DateTime.UtcNow.AddHours(-2);
        string dll = File("src/Convolve.Cli/bin/Release/net10.0/Convolve.Cli.dll", past.AddHours(1));
        string source = File("src/Convolve/Layers/Conv2d.cs", past);
        File("src/Convolve/obj/Debug/net10.0/Convolve.AssemblyInfo.cs", DateTime.UtcNow);
        File("src/Convolve.Cli/bin/Debug/net10.0/Generated.cs", DateTime.UtcNow);
        File("Directory.Build.props", past);

        Assert.Equal(["run"], RunWrapper());

        System.IO.File.SetLastWriteTimeUtc(source, DateTime.UtcNow);
        Assert.Equal(["build", "run"], RunWrapper());
        Assert.True(System.IO.File.GetLastWriteTimeUtc(dll) >= System.IO.File.GetLastWriteTimeUtc(source));
        Assert.Equal(["run"], RunWrapper());

        System.IO.File.SetLastWriteTimeUtc(Path.Combine(root, "Directory.Build.props"), DateTime.UtcNow.AddMinutes(1));
        Assert.Equal(["build", "run"], RunWrapper());
    }

    /// <summary>Runs the copied launcher; returns what the stand-in dotnet was asked to do, in order.</summary>
    private string[] RunWrapper() => RunWrapperWithError().Steps;

    /// <summary>As <see cref="RunWrapper"/>, with what the launcher wrote on stderr.</summary>
    private (string[] Steps, string Error) RunWrapperWithError()
    {
        System.IO.File.Delete(Log);
        var start = new ProcessStartInfo("bash") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(root, "convolve"));
        start.ArgumentList.Add("info");
        start.Environment["PATH"] = Path.Combine(root, "fake-bin") + ":" + Environment.GetEnvironmentVariable("PATH");
        using var process = Process.Start(start)!;
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, error);
        string[] steps = [.. System.IO.File.ReadAllLines(Log).Select(line => line.StartsWith("build ", StringComparison.Ordinal) ? "build" : line.EndsWith("Convolve.Cli.dll info", StringComparison.Ordinal) ? "run" : line)];
        return (steps, error);
    }

    private string File(string relative, DateTime written)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, "");
        System.IO.File.SetLastWriteTimeUtc(path, written);
        return path;
    }
}
