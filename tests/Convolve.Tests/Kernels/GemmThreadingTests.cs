using Convolve.Kernels;
using Convolve.Tests.Testing;

namespace Convolve.Tests.Kernels;

/// <summary>The split over threads: it must not change a single bit of the result, and small products stay on one thread.</summary>
public class GemmThreadingTests
{
    /// <summary>
    /// Column bands (wide C) and row bands (tall C), with edges in every direction, a k that crosses
    /// KC and beta ≠ 0: 1, 2 and 3 threads give identical bits at the hardware's level.
    /// </summary>
    [Theory]
    [InlineData(61, 1000, 300, false)]
    [InlineData(301, 20, 600, true)]
    public void One_two_and_three_threads_give_identical_bits(int m, int n, int k, bool expectRowBands)
    {
        SimdLevel level = Simd.HardwareLevel;
        var (mr, nr) = level switch
        {
            SimdLevel.Vector512 => (GemmMicrokernel512.MR, GemmMicrokernel512.NR),
            SimdLevel.Vector256 => (GemmMicrokernel256.MR, GemmMicrokernel256.NR),
            SimdLevel.Vector128 => (GemmMicrokernel128.MR, GemmMicrokernel128.NR),
            _ => (GemmMicrokernelScalar.MR, GemmMicrokernelScalar.NR),
        };
        GemmPartition three = GemmPartition.Choose(m, n, k, mr, nr, 3);
        Assert.Equal(3, three.Parts);
        Assert.Equal(expectRowBands, three.ByRows);
        var test = new GemmCase(false, true, m, n, k, 1.5f, -0.5f, 1, 99);
        float[] single = test.RunManaged(GemmSettings.For(level, 1));
        test.AssertMatchesReference(single, "1 thread");
        TensorAssert.Identical(single, test.RunManaged(GemmSettings.For(level, 2)), "2 threads against 1");
        TensorAssert.Identical(single, test.RunManaged(GemmSettings.For(level, 3)), "3 threads against 1");
    }

    /// <summary>Packing buffers are reused: once warm, a single-threaded product allocates nothing.</summary>
    [Fact]
    public void Steady_state_allocates_nothing()
    {
        var test = new GemmCase(false, true, 70, 90, 600, 1f, 0f, 0, 3);
        float[] c = new float[test.InitialC.Length];
        var settings = GemmSettings.For(Simd.HardwareLevel, 1);
        Gemm.MultiplyManaged(settings, false, true, 70, 90, 600, 1f, test.A, test.Lda, test.B, test.Ldb, 0f, c, test.Ldc);
        long before = GC.GetAllocatedBytesForCurrentThread();
        Gemm.MultiplyManaged(settings, false, true, 70, 90, 600, 1f, test.A, test.Lda, test.B, test.Ldb, 0f, c, test.Ldc);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        test.AssertMatchesReference(c, "warm call");
    }

    [Fact]
    public void Small_products_stay_on_one_thread()
    {
        Assert.Equal(1, GemmPartition.Choose(32, 784, 25, 6, 16, 8).Parts);
        Assert.Equal(1, GemmPartition.Choose(64, 64, 64, 6, 16, 8).Parts);
        Assert.InRange(GemmPartition.Choose(64, 196, 800, 6, 16, 8).Parts, 2, 8);
    }

    /// <summary>Bands start on the tile grid, follow each other without gap or overlap and span C, for many sizes and thread counts.</summary>
    [Fact]
    public void Bands_tile_C_without_gap_or_overlap()
    {
        foreach (int threads in new[] { 2, 3, 4, 7, 16 })
        {
            foreach (var (m, n, k) in new[] { (1000, 7, 900), (7, 1000, 900), (97, 203, 511), (2048, 2048, 2048), (13, 5000, 300) })
            {
                GemmPartition partition = GemmPartition.Choose(m, n, k, 6, 16, threads);
                Assert.InRange(partition.Parts, 1, threads);
                int reached = 0;
                for (int part = 0; part < partition.Parts; part++)
                {
                    var (rowStart, rowEnd, columnStart, columnEnd) = partition.Range(part);
                    var (start, end, otherStart, otherEnd, otherExtent, tile) = partition.ByRows
                        ? (rowStart, rowEnd, columnStart, columnEnd, n, 6)
                        : (columnStart, columnEnd, rowStart, rowEnd, m, 16);
                    Assert.True(start == reached && start % tile == 0 && end > start, $"part {part} of {partition} is [{start}, {end}) after {reached}");
                    Assert.True(otherStart == 0 && otherEnd == otherExtent, $"part {part} of {partition} does not span the other dimension");
                    reached = end;
                }
                Assert.True(reached == (partition.ByRows ? m : n), $"{partition} stops at {reached}");
            }
        }
    }

    /// <summary>Concurrent callers, each asking for threads of its own, get separate packing workspaces and right results.</summary>
    [Fact]
    public void Concurrent_callers_are_correct()
    {
        var tests = Enumerable.Range(0, 4).Select(i => new GemmCase(i % 2 == 0, i % 3 == 0, 60 + i, 150, 100, 1f, 0f, 0, (ulong)i)).ToArray();
        var results = new float[tests.Length][];
        Parallel.For(0, tests.Length, i => results[i] = tests[i].RunManaged(GemmSettings.For(Simd.HardwareLevel, 2)));
        for (int i = 0; i < tests.Length; i++)
        {
            tests[i].AssertMatchesReference(results[i], $"parallel caller {i}");
        }
    }
}
