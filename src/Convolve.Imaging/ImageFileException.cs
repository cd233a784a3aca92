namespace Convolve.Imaging;

/// <summary>
/// A picture file that cannot be read or written: not an image, a format Convolve does not read,
/// truncated, or failing its checksum. The message names the file and, where known, the byte
/// offset and what was expected there. Derives from <see cref="IOException"/> as the other file
/// errors of Convolve do (<c>InvalidDataException</c> is sealed).
/// </summary>
public sealed class ImageFileException : IOException
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public ImageFileException(string path, string message, Exception? innerException = null)
        : base($"{path}: {message}", innerException)
    {
        FilePath = path;
    }

    /// <summary>The file the problem is in.</summary>
    public string FilePath { get; }
}
