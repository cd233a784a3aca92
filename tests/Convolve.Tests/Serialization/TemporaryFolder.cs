namespace Convolve.Tests.Serialization;

/// <summary>A fresh folder under the system temp path, deleted on dispose.</summary>
internal sealed class TemporaryFolder : IDisposable
{
    public TemporaryFolder() => Directory.CreateDirectory(Path);

    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "convolve-tests-" + Guid.NewGuid().ToString("N"));

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>Every file name in the folder, sorted.</summary>
    public string[] Names() => [.. Directory.EnumerateFileSystemEntries(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>The names of atomic-save temporaries (<c>.NAME.&lt;hex&gt;.tmp</c>) in the folder.</summary>
    public string[] Temporaries() => [.. Names().Where(name => name.StartsWith('.') && name.EndsWith(".tmp", StringComparison.Ordinal))];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // A test failure may leave a file open; the OS temp cleaner takes the rest.
        }
    }
}
