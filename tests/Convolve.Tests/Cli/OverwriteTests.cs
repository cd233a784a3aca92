using System.Security.Cryptography;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Tests.Visualization;

namespace Convolve.Tests.Cli;

/// <summary>
/// README's promise that nothing is replaced without <c>--overwrite</c>, for every command that writes a
/// file the user names (train's run folder, export and report have tests of their own): with a file already
/// there, the command refuses in one line naming it and <c>--overwrite</c>, exit 2, and writes nothing at
/// all; with <c>--overwrite</c> it replaces the file.
/// </summary>
public sealed class OverwriteTests(SavedModel model) : IClassFixture<SavedModel>, IDisposable
{
    private static readonly byte[] Junk = "not a picture"u8.ToArray();

    private readonly string output = Directory.CreateTempSubdirectory("convolve-overwrite-").FullName;

    public void Dispose() => Directory.Delete(output, recursive: true);

    private string Out(string name) => Path.Combine(output, name);

    private static string Sample => DatasetLocator.SampleDirectory;

    [Theory]
    [InlineData("filters")]
    [InlineData("features")]
    [InlineData("saliency")]
    public void Visualize_replaces_a_picture_only_with_overwrite(string kind)
    {
        string picture = Out($"{kind}.png");
        string[] args = ["visualize", kind, model.Path, "-o", picture, .. kind == "filters" ? Array.Empty<string>() : ["--index", "1", "--data", Sample]];
        RefusedThenReplaced(args, [picture], $"convolve: --output {picture} already exists; pass --overwrite to replace it, or choose another --output");
        Assert.Equal(3, ImageFile.ReadRgb(picture).Shape[0]);
    }

    [Fact]
    public void Visualize_deconv_replaces_pictures_in_its_folder_only_with_overwrite()
    {
        string folder = Out("deconv");
        Directory.CreateDirectory(folder);
        string[] args = ["visualize", "deconv", model.Path, "--layer", "conv1", "--channels", "2,5", "--top", "2", "--limit", "20", "--data", Sample, "-o", folder];
        RefusedThenReplaced(args, [Path.Combine(folder, "channel-02.png"), Path.Combine(folder, "overview.png")],
            $"convolve: --output {folder} already holds channel-02.png and overview.png; pass --overwrite to replace them, or choose another --output");
        Assert.Equal(["channel-02.png", "channel-05.png", "overview.png"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal(3, ImageFile.ReadRgb(Path.Combine(folder, "channel-02.png")).Shape[0]);
    }

    [Fact]
    public void Explain_replaces_an_animation_only_with_overwrite()
    {
        string gif = Out("pool.gif");
        RefusedThenReplaced(["explain", "pool", "--input", "4", "--kernel", "2", "--animate", gif], [gif],
            $"convolve: --animate {gif} already exists; pass --overwrite to replace it, or choose another --animate");
        Assert.Equal("GIF89a"u8.ToArray(), File.ReadAllBytes(gif)[..6]);
    }

    [Fact]
    public void Import_replaces_a_checkpoint_only_with_overwrite()
    {
        string onnx = Out("model.onnx"), checkpoint = Out("model.safetensors");
        Assert.Equal(0, CliRunner.Run("export", model.Path, "--format", "onnx", "-o", onnx).ExitCode);
        RefusedThenReplaced(["import", onnx, "-o", checkpoint], [checkpoint],
            $"convolve: --output {checkpoint} already exists; pass --overwrite to replace it, or choose another --output");
        Assert.Equal(0, CliRunner.Run("eval", checkpoint, "--data", Sample).ExitCode);
    }

    /// <summary>
    /// With junk in <paramref name="existing"/>, <paramref name="args"/> must fail with <paramref name="refusal"/> and
    /// change no file under the output folder; with --overwrite it must succeed and replace every one of them.
    /// </summary>
    private void RefusedThenReplaced(string[] args, string[] existing, string refusal)
    {
        foreach (string path in existing)
        {
            File.WriteAllBytes(path, Junk);
        }
        var before = Snapshot();
        Assert.Equal(refusal, CliRunner.UserError(CliRunner.Run(args)));
        Assert.Equal(before, Snapshot());

        var replaced = CliRunner.Run([.. args, "--overwrite"]);
        Assert.True(replaced.ExitCode == 0, replaced.Error);
        foreach (string path in existing)
        {
            Assert.NotEqual(Junk, File.ReadAllBytes(path));
        }
    }

    /// <summary>Every file under the output folder with a hash of its bytes.</summary>
    private List<string> Snapshot() =>
        [.. Directory.GetFiles(output, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
            .Select(path => $"{Path.GetRelativePath(output, path)}: {Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)))}")];
}
