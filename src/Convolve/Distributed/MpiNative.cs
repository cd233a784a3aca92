using System.Runtime.InteropServices;

namespace Convolve.Distributed;

/// <summary>
/// Open MPI's C interface, resolved at run time with <see cref="NativeLibrary"/>, so that the
/// library loads <c>libmpi</c> only when distributed training is asked for. Open MPI's handles are
/// pointers and its predefined handles (<c>MPI_COMM_WORLD</c>, <c>MPI_FLOAT</c>, <c>MPI_SUM</c>…)
/// are the addresses of global symbols (<c>ompi_mpi_comm_world</c>…; <c>OMPI_PREDEFINED_GLOBAL</c>
/// in mpi.h), read here with <see cref="NativeLibrary.GetExport"/>. MPICH and MS-MPI use integer
/// handles instead; a libmpi without Open MPI's symbols is refused with a message.
/// </summary>
internal static unsafe class MpiNative
{
    /// <summary>The shared objects tried in turn: Debian's Open MPI 4 and 5 (<c>libopenmpi3</c>, <c>libopenmpi40</c>) and the development link.</summary>
    public static readonly string[] LibraryNames = ["libmpi.so.40", "libmpi.so"];

    /// <summary>MPI_SUCCESS.</summary>
    public const int Success = 0;

    /// <summary>MPI_THREAD_FUNNELED: only the thread that initialised MPI calls it.</summary>
    public const int ThreadFunneled = 1;

    /// <summary>MPI_MAX_ERROR_STRING in Open MPI (OPAL_MAX_ERROR_STRING).</summary>
    public const int MaxErrorString = 256;

    private static readonly Lazy<Functions> Loaded = new(() => Load(LibraryNames));

    /// <summary>The functions and handles; throws <see cref="MpiUnavailableException"/> when libmpi cannot be used.</summary>
    public static Functions Api => Loaded.Value;

    /// <summary>Loads the first of <paramref name="names"/> that loads and resolves Open MPI's interface from it.</summary>
    /// <exception cref="MpiUnavailableException">None loads, or the one that does is not Open MPI's.</exception>
    internal static Functions Load(IReadOnlyList<string> names)
    {
        nint library = 0;
        string? loadedName = names.FirstOrDefault(name => NativeLibrary.TryLoad(name, out library));
        if (loadedName is null)
        {
            throw new MpiUnavailableException(
                $"distributed training needs Open MPI's libmpi ({string.Join(" or ", names)}), which could not be loaded; "
                + "install it (Debian/Ubuntu: apt-get install openmpi-bin libopenmpi-dev) and start the ranks with mpirun");
        }
        if (!NativeLibrary.TryGetExport(library, "ompi_mpi_comm_world", out _))
        {
            throw new MpiUnavailableException(
                $"{loadedName} is not Open MPI's (it exports no ompi_mpi_comm_world); Convolve binds Open MPI's interface, whose handles are pointers");
        }
        return new Functions(library, loadedName);
    }

    /// <summary>The resolved entry points (signatures from Open MPI 4.1's mpi.h) and predefined handles.</summary>
    internal sealed class Functions
    {
        public Functions(nint library, string name)
        {
            LibraryName = name;
            nint Get(string symbol) => NativeLibrary.TryGetExport(library, symbol, out nint address)
                ? address
                : throw new MpiUnavailableException($"{name} lacks {symbol}; Convolve needs Open MPI 4 or later");
            InitThread = (delegate* unmanaged<int*, nint, int, int*, int>)Get("MPI_Init_thread");
            Initialized = (delegate* unmanaged<int*, int>)Get("MPI_Initialized");
            Finalized = (delegate* unmanaged<int*, int>)Get("MPI_Finalized");
            Finalize = (delegate* unmanaged<int>)Get("MPI_Finalize");
            Abort = (delegate* unmanaged<nint, int, int>)Get("MPI_Abort");
            CommRank = (delegate* unmanaged<nint, int*, int>)Get("MPI_Comm_rank");
            CommSize = (delegate* unmanaged<nint, int*, int>)Get("MPI_Comm_size");
            CommSetErrhandler = (delegate* unmanaged<nint, nint, int>)Get("MPI_Comm_set_errhandler");
            ErrorString = (delegate* unmanaged<int, byte*, int*, int>)Get("MPI_Error_string");
            Allreduce = (delegate* unmanaged<void*, void*, int, nint, nint, nint, int>)Get("MPI_Allreduce");
            Allgather = (delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int>)Get("MPI_Allgather");
            Bcast = (delegate* unmanaged<void*, int, nint, int, nint, int>)Get("MPI_Bcast");
            Barrier = (delegate* unmanaged<nint, int>)Get("MPI_Barrier");
            CommWorld = Get("ompi_mpi_comm_world");
            Float = Get("ompi_mpi_float");
            Double = Get("ompi_mpi_double");
            Byte = Get("ompi_mpi_byte");
            Sum = Get("ompi_mpi_op_sum");
            Max = Get("ompi_mpi_op_max");
            ErrorsReturn = Get("ompi_mpi_errors_return");
        }

        /// <summary>The file name that was loaded.</summary>
        public string LibraryName { get; }

        /// <summary>int MPI_Init_thread(int *argc, char ***argv, int required, int *provided).</summary>
        public delegate* unmanaged<int*, nint, int, int*, int> InitThread { get; }

        /// <summary>int MPI_Initialized(int *flag).</summary>
        public delegate* unmanaged<int*, int> Initialized { get; }

        /// <summary>int MPI_Finalized(int *flag).</summary>
        public delegate* unmanaged<int*, int> Finalized { get; }

        /// <summary>int MPI_Finalize(void).</summary>
        public delegate* unmanaged<int> Finalize { get; }

        /// <summary>int MPI_Abort(MPI_Comm comm, int errorcode).</summary>
        public delegate* unmanaged<nint, int, int> Abort { get; }

        /// <summary>int MPI_Comm_rank(MPI_Comm comm, int *rank).</summary>
        public delegate* unmanaged<nint, int*, int> CommRank { get; }

        /// <summary>int MPI_Comm_size(MPI_Comm comm, int *size).</summary>
        public delegate* unmanaged<nint, int*, int> CommSize { get; }

        /// <summary>int MPI_Comm_set_errhandler(MPI_Comm comm, MPI_Errhandler errhandler).</summary>
        public delegate* unmanaged<nint, nint, int> CommSetErrhandler { get; }

        /// <summary>int MPI_Error_string(int errorcode, char *string, int *resultlen).</summary>
        public delegate* unmanaged<int, byte*, int*, int> ErrorString { get; }

        /// <summary>int MPI_Allreduce(const void *sendbuf, void *recvbuf, int count, MPI_Datatype, MPI_Op, MPI_Comm).</summary>
        public delegate* unmanaged<void*, void*, int, nint, nint, nint, int> Allreduce { get; }

        /// <summary>int MPI_Allgather(const void *sendbuf, int sendcount, MPI_Datatype, void *recvbuf, int recvcount, MPI_Datatype, MPI_Comm).</summary>
        public delegate* unmanaged<void*, int, nint, void*, int, nint, nint, int> Allgather { get; }

        /// <summary>int MPI_Bcast(void *buffer, int count, MPI_Datatype, int root, MPI_Comm).</summary>
        public delegate* unmanaged<void*, int, nint, int, nint, int> Bcast { get; }

        /// <summary>int MPI_Barrier(MPI_Comm comm).</summary>
        public delegate* unmanaged<nint, int> Barrier { get; }

        /// <summary>MPI_COMM_WORLD: the address of <c>ompi_mpi_comm_world</c>.</summary>
        public nint CommWorld { get; }

        /// <summary>MPI_FLOAT.</summary>
        public nint Float { get; }

        /// <summary>MPI_DOUBLE.</summary>
        public nint Double { get; }

        /// <summary>MPI_BYTE.</summary>
        public nint Byte { get; }

        /// <summary>MPI_SUM.</summary>
        public nint Sum { get; }

        /// <summary>MPI_MAX.</summary>
        public nint Max { get; }

        /// <summary>MPI_ERRORS_RETURN: errors come back as codes instead of aborting the job.</summary>
        public nint ErrorsReturn { get; }
    }
}
