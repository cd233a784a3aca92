using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Convolve.Data;

namespace Convolve.Tests.Readme;

/// <summary>
/// The README's first commands and its tour, run as a newcomer runs them: in order, exactly as
/// written, in a folder that holds what a fresh clone holds for them (the bundled sample and a
/// <c>./convolve</c> that runs the built tool; the launcher's own building is WrapperScriptTests').
/// The tour's output must be the README's, times and the clone's path aside; its numbers are the
/// README's at the SIMD level it shows, and the SIMD table's row at any other level the table gives.
/// </summary>
public sealed partial class ReadmeTourTests : IDisposable
{
    private readonly string clone = Directory.CreateTempSubdirectory("convolve-tour-").FullName;

    public ReadmeTourTests()
    {
        string sample = Path.Combine(clone, "data", "fashion-mnist-sample");
        Directory.CreateDirectory(sample);
        foreach (string file in Directory.GetFiles(DatasetLocator.SampleDirectory))
        {
            File.Copy(file, Path.Combine(sample, Path.GetFileName(file)));
        }
        string launcher = Path.Combine(clone, "convolve");
        File.WriteAllText(launcher, $"#!/usr/bin/env bash\nexec dotnet '{Path.Combine(AppContext.BaseDirectory, "Convolve.Cli.dll")}' \"$@\"\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public void Dispose() => Directory.Delete(clone, recursive: true);

    [Fact]
    public void The_first_commands_and_the_tour_run_in_order_and_print_what_the_readme_shows()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // the commands are bash
        }
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", "..", "README.md"));
        string first = ReadmeText.Between(ReadmeText.Between(readme, "## Two commands on a fresh machine", "\n## "), "```\n", "```\n");
        string[] firstCommands = [.. first.Split('\n').Where(line => line.StartsWith("./convolve ", StringComparison.Ordinal))];
        Assert.NotEmpty(firstCommands);
        foreach (string command in firstCommands)
        {
            var (code, text) = Run(command);
            Assert.True(code == 0, $"{command}: exit {code}\n{text}");
        }

        string tour = ReadmeText.Between(readme, "## A short tour (real output)", "\n## ");
        string block = ReadmeText.Between(tour, "```\n", "```\n");
        string level = "";
        foreach (var (command, expected) in Steps(block))
        {
            var (code, text) = Run(command);
            Assert.True(code == (expected.StartsWith("convolve: ", StringComparison.Ordinal) ? 2 : 0), $"{command}: exit {code}\n{text}");
            level = SimdLevel().Match(text) is { Success: true } m ? m.Groups[1].Value : level;
            string shown = Masked(expected, "/tmp/tour"), printed = Masked(text, clone);
            if (level != "Vector512" && command.Contains(" summary ", StringComparison.Ordinal))
            {
                continue; // the algorithm column follows the SIMD level by design (no direct convolution without SIMD)
            }
            if (level == "Vector512")
            {
                Assert.Equal(shown, printed);
            }
            else
            {
                Assert.Equal(Layout(shown), Layout(printed));
                CheckSimdRow(tour, level, command, text);
            }
        }
        Assert.False(string.IsNullOrEmpty(level), "the tour's training says its SIMD level");
    }

    /// <summary>At a level other than the tour's, the SIMD table's row for it (every level has one) gives the two epochs' test accuracy and the prediction.</summary>
    private static void CheckSimdRow(string tour, string level, string command, string text)
    {
        Match row = Regex.Match(tour, $@"\|[^|\n]*`{Regex.Escape(level)}`[^|\n]*\| (?<e1>[\d.]+ %) \| (?<e2>[\d.]+ %) \| (?<coat>[\d.]+ %) \|", RegexOptions.IgnoreCase);
        Assert.True(row.Success, $"the README's SIMD table has no row for {level}");
        if (command.Contains(" train ", StringComparison.Ordinal) && text.Contains("epoch 1:", StringComparison.Ordinal))
        {
            Assert.Contains($"acc {row.Groups["e1"].Value}  ", text.Split('\n').Single(l => l.StartsWith("epoch 1:", StringComparison.Ordinal)), StringComparison.Ordinal);
            Assert.Contains($"acc {row.Groups["e2"].Value}  ", text.Split('\n').Single(l => l.StartsWith("epoch 2:", StringComparison.Ordinal)), StringComparison.Ordinal);
        }
        if (command.Contains(" predict ", StringComparison.Ordinal))
        {
            Assert.Contains($"{row.Groups["coat"].Value}   4 Coat", text, StringComparison.Ordinal);
        }
    }

    /// <summary>The tour's commands (after <c>$ </c>) with the output shown below each.</summary>
    private static IEnumerable<(string Command, string Output)> Steps(string block)
    {
        string[] parts = block.Split("$ ", StringSplitOptions.RemoveEmptyEntries);
        Assert.True(parts.Length >= 5, $"the tour has {parts.Length} commands");
        foreach (string part in parts)
        {
            int end = part.IndexOf('\n', StringComparison.Ordinal);
            yield return (part[..end], part[(end + 1)..].TrimEnd('\n'));
        }
    }

    /// <summary>Runs one command line with bash in the clone; stdout and stderr in the order written, the redirected progress lines left out (as the README does).</summary>
    private (int Code, string Text) Run(string command)
    {
        var start = new ProcessStartInfo("bash") { WorkingDirectory = clone, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add($"{command} 2>&1");
        foreach (string name in (string[])["CONVOLVE_THREADS", "CONVOLVE_GEMM", "CONVOLVE_CONV_ALGORITHM", "CONVOLVE_DEBUG"])
        {
            start.Environment.Remove(name);
        }
        // Where the full Fashion-MNIST is installed, `./convolve train` would take it; the sample keeps the test short.
        start.Environment["CONVOLVE_DATA"] = Path.Combine(clone, "data", "fashion-mnist-sample");
        using Process process = Process.Start(start)!;
        string output = process.StandardOutput.ReadToEnd();
        Assert.True(process.WaitForExit(TimeSpan.FromMinutes(3)), $"{command} did not finish");
        string text = string.Join("\n", output.TrimEnd('\n').Split('\n').Where(line => !ProgressLine().IsMatch(line)));
        return (process.ExitCode, text);
    }

    /// <summary>The text with its times, speeds and the clone's path replaced by placeholders.</summary>
    private static string Masked(string text, string root) =>
        Seconds().Replace(Speed().Replace(text.Replace(root, "ROOT", StringComparison.Ordinal), "_ img/s"), "  _ s  ");

    /// <summary>The text with every number replaced by N and runs of spaces by one: what stays the same at every SIMD level.</summary>
    private static string Layout(string text) => Spaces().Replace(Number().Replace(text, "N"), " ");

    private static string SourcePath([CallerFilePath] string path = "") => path;

    [GeneratedRegex(@"^epoch \d+/\d+ step ")]
    private static partial Regex ProgressLine();

    [GeneratedRegex(@"[\d,]+ img/s")]
    private static partial Regex Speed();

    [GeneratedRegex(@"  \d+\.\d s  ")]
    private static partial Regex Seconds();

    [GeneratedRegex(@"SIMD (\w+)")]
    private static partial Regex SimdLevel();

    [GeneratedRegex(@"\d[\d,.]*")]
    private static partial Regex Number();

    [GeneratedRegex(" +")]
    private static partial Regex Spaces();
}
