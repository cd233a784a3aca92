using Convolve.Serialization;
using Convolve.Tensors;

namespace Convolve.Tests.Serialization;

/// <summary>A save that fails anywhere leaves the previous file byte-identical and no temporary behind.</summary>
public class WriterAtomicityTests
{
    private static readonly TensorData[] Old = [TensorData.Create("w", new Shape(4), [1f, 2f, 3f, 4f])];

    private static IEnumerable<TensorData> New() =>
    [
        TensorData.Create("a", new Shape(1000), new float[1000]),
        TensorData.Create("b", new Shape(10), new long[10]),
    ];

    private static (TemporaryFolder Folder, string Path, byte[] Before) WithPreviousCheckpoint()
    {
        var folder = new TemporaryFolder();
        string path = folder.File("model.ckpt");
        CheckpointWriter.Save(path, Old);
        return (folder, path, File.ReadAllBytes(path));
    }

    [Fact]
    public void A_tensor_enumerator_that_throws_midway_changes_nothing()
    {
        var (folder, path, before) = WithPreviousCheckpoint();
        using (folder)
        {
            static IEnumerable<TensorData> Broken()
            {
                yield return TensorData.Create("a", new Shape(1), [1f]);
                throw new InvalidOperationException("the model went away");
            }
            var error = Assert.Throws<InvalidOperationException>(() => CheckpointWriter.Save(path, Broken()));
            Assert.Equal("the model went away", error.Message);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(["model.ckpt"], folder.Names());
        }
    }

    [Theory]
    [InlineData(0L, false)]
    [InlineData(3L, false)]
    [InlineData(8L, false)]
    [InlineData(60L, false)]
    [InlineData(200L, false)]
    [InlineData(2500L, false)]
    [InlineData(long.MaxValue, true)]
    public void A_write_that_fails_at_any_byte_or_at_the_flush_leaves_the_previous_file_and_no_temporary(long failAt, bool failOnFlush)
    {
        var (folder, path, before) = WithPreviousCheckpoint();
        using (folder)
        {
            var error = Assert.Throws<IOException>(() =>
                CheckpointWriter.SaveCore(path, New(), null, stream => new FailingStream(stream, failAt, failOnFlush)));
            Assert.StartsWith("injected failure", error.Message, StringComparison.Ordinal);
            Assert.Equal(before, File.ReadAllBytes(path));
            Assert.Equal(["model.ckpt"], folder.Names());
            Assert.Equal(Old[0].ToSingleArray(), CheckpointReader.Load(path)["w"].ToSingleArray());
        }
    }

    [Fact]
    public void A_rename_that_fails_removes_the_temporary_and_leaves_the_target()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.ckpt");
        Directory.CreateDirectory(path);
        File.WriteAllText(Path.Combine(path, "keep.txt"), "x");
        Assert.ThrowsAny<IOException>(() => CheckpointWriter.Save(path, New()));
        Assert.Equal(["model.ckpt"], folder.Names());
        Assert.Equal("x", File.ReadAllText(Path.Combine(path, "keep.txt")));
    }

    [Fact]
    public void A_successful_save_replaces_the_file_and_leaves_no_temporary()
    {
        var (folder, path, _) = WithPreviousCheckpoint();
        using (folder)
        {
            CheckpointWriter.Save(path, New());
            Assert.Equal(["a", "b"], CheckpointReader.Load(path).Tensors.Select(t => t.Name));
            Assert.Equal(["model.ckpt"], folder.Names());
        }
    }

    [Fact]
    public void Save_sweeps_stale_temporaries_of_its_own_target_only()
    {
        using var folder = new TemporaryFolder();
        string hex = "0123456789abcdef0123456789abcdef";
        string[] stale = [$".model.ckpt.{hex}.tmp", $".model.ckpt.{new string('f', 32)}.tmp"];
        string[] kept =
        [
            $".other.ckpt.{hex}.tmp",            // another target's temporary
            $".model.ckpt.{hex.ToUpperInvariant()}.tmp", // not the writer's lowercase token
            $".model.ckpt.{hex[1..]}.tmp",       // wrong token length
            $"model.ckpt.{hex}.tmp",             // no leading dot
            $".model.ckpt.{hex}.tmp.bak",
            "notes.txt",
        ];
        foreach (string name in stale.Concat(kept))
        {
            File.WriteAllText(folder.File(name), "x");
        }
        CheckpointWriter.Save(folder.File("model.ckpt"), Old);
        Assert.Equal(kept.Append("model.ckpt").Order(StringComparer.Ordinal), folder.Names());
    }

    [Fact]
    public void A_temporary_held_open_by_a_live_save_is_not_swept()
    {
        using var folder = new TemporaryFolder();
        string live = folder.File($".model.ckpt.{new string('b', 32)}.tmp");
        using (new FileStream(live, FileMode.CreateNew, FileAccess.Write, FileShare.None))
        {
            CheckpointWriter.Save(folder.File("model.ckpt"), Old);
            Assert.True(File.Exists(live));
            Assert.Equal(0, CheckpointWriter.DeleteStaleTemporaryFiles(folder.File("model.ckpt")));
        }
        Assert.Equal(1, CheckpointWriter.DeleteStaleTemporaryFiles(folder.File("model.ckpt")));
        Assert.Equal(["model.ckpt"], folder.Names());
    }

    [Fact]
    public void The_folder_is_flushed_after_the_rename_where_the_OS_allows_it()
    {
        using var folder = new TemporaryFolder();
        Assert.Equal(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS(), DirectorySync.TryFlush(folder.Path));
        Assert.False(DirectorySync.TryFlush(Path.Combine(folder.Path, "missing")));
    }
}
