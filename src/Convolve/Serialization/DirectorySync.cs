using System.Runtime.InteropServices;

namespace Convolve.Serialization;

/// <summary>
/// Flushes a directory's entries to disk so that a rename inside it survives a power cut.
/// </summary>
/// <remarks>
/// What .NET can and cannot do: <see cref="FileStream.Flush(bool)"/> fsyncs a file's contents,
/// and <see cref="File.Move(string, string, bool)"/> with overwrite is an atomic rename(2) on
/// Unix (MoveFileEx with MOVEFILE_REPLACE_EXISTING on Windows), but there is no public API to
/// fsync a directory: <see cref="FileStream"/> and <see cref="File.OpenHandle"/> refuse to open
/// one. On Linux and macOS this therefore calls the C library's open/fsync/close directly (a
/// system call, not a native dependency of the package). On Windows nothing is done: there is no
/// handle-level equivalent without backup privileges, and NTFS journals the rename's metadata.
/// Best-effort everywhere: by the time this runs the rename has happened, so a failure here
/// only means the new name might not survive a power cut, and is not reported as an error.
/// </remarks>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0;

    /// <summary>Returns whether the directory was flushed.</summary>
    public static bool TryFlush(string directory)
    {
        if (!(OperatingSystem.IsLinux() || OperatingSystem.IsMacOS() || OperatingSystem.IsFreeBSD()))
        {
            return false;
        }
        try
        {
            int descriptor = Open(directory, ReadOnly);
            if (descriptor < 0)
            {
                return false;
            }
            bool flushed = FSync(descriptor) == 0;
            _ = Close(descriptor);
            return flushed;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int descriptor);
}
