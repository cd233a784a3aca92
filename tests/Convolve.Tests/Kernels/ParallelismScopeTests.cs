using System.Collections.Concurrent;
using Convolve.Kernels;

namespace Convolve.Tests.Kernels;

/// <summary>
/// <see cref="Parallelism.Use"/>: the kernels split work by the count of the innermost scope, and each scope puts
/// back the count it found, nested or disposed twice; a count below one is refused and changes nothing.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)] // sets the process-wide Parallelism.MaxThreads
public sealed class ParallelismScopeTests
{
    [Fact]
    public void The_splitter_uses_the_scopes_count_and_each_scope_restores_the_one_before()
    {
        int found = Parallelism.MaxThreads;
        using (Parallelism.Use(3))
        {
            Assert.Equal(3, Parts());
            IDisposable inner = Parallelism.Use(1);
            Assert.Equal(1, Parallelism.MaxThreads);
            Assert.Equal(1, Parts());
            inner.Dispose();
            Assert.Equal(3, Parallelism.MaxThreads);
            using (Parallelism.Use(2))
            {
                Assert.Equal(2, Parts());
            }
            inner.Dispose(); // a second dispose puts back nothing
            Assert.Equal(3, Parallelism.MaxThreads);
        }
        Assert.Equal(found, Parallelism.MaxThreads);
    }

    [Fact]
    public void A_count_below_one_is_refused_and_changes_nothing()
    {
        using (Parallelism.Use(2))
        {
            var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Parallelism.Use(0));
            Assert.Contains("at least 1 but got 0", ex.Message, StringComparison.Ordinal);
            Assert.Equal(2, Parallelism.MaxThreads);
        }
    }

    /// <summary>How many blocks <see cref="Parallelism.For"/> cuts 64 items of ample work into.</summary>
    private static int Parts()
    {
        var blocks = new ConcurrentBag<(int Start, int End)>();
        Parallelism.For(64, Parallelism.MinWorkPerThread, (start, end) => blocks.Add((start, end)));
        Assert.Equal(64, blocks.Sum(b => b.End - b.Start));
        return blocks.Count;
    }
}
