using Convolve.Distributed;

namespace Convolve.Tests.Distributed;

/// <summary>How the library finds libmpi, and what it says when it cannot; none of these needs MPI installed.</summary>
public class MpiLoadingTests
{
    [Fact]
    public void AMissingLibmpiSaysWhatToInstall()
    {
        var error = Assert.Throws<MpiUnavailableException>(() => MpiNative.Load(["libmpi-that-does-not-exist.so.99"]));
        Assert.Equal(
            "distributed training needs Open MPI's libmpi (libmpi-that-does-not-exist.so.99), which could not be loaded; "
            + "install it (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) and start the ranks with mpirun", error.Message);
    }

    [Fact]
    public void ALibraryThatIsNotOpenMpiIsRefused()
    {
        // The C library loads everywhere this suite runs but has none of Open MPI's symbols.
        var error = Assert.Throws<MpiUnavailableException>(() => MpiNative.Load(["libc.so.6"]));
        Assert.StartsWith("libc.so.6 is not Open MPI's (it exports no ompi_mpi_comm_world)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheLocalGroupIsOneRankThatCopies()
    {
        using var local = new LocalCommunicator();
        Assert.Equal((0, 1), (local.Rank, local.Size));
        float[] send = [1, 2], receive = new float[2];
        local.Allgather(send, receive);
        Assert.Equal(send, receive);
        Assert.Throws<ArgumentException>(() => local.Allgather(send, new float[3]));
        Assert.Throws<ArgumentOutOfRangeException>(() => local.Broadcast(new float[1], 1));
    }
}
