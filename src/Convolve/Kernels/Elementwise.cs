using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The one driver for element-wise math (the pattern of .NET's TensorPrimitives): it walks the
/// spans in steps of the widest accelerated vector and finishes with a scalar tail, calling an
/// operator struct that holds the math for every width. The width is <see cref="Simd.Level"/>,
/// chosen once at start-up from the hardware and lowered by <c>CONVOLVE_SIMD</c> like the GEMM's;
/// tests force each width through the overloads that take a <see cref="SimdLevel"/>.
/// </summary>
internal static class Elementwise
{
    /// <summary>The vector width in use: <see cref="Simd.Level"/>, fixed at start-up.</summary>
    public static SimdLevel Width { get; } = Simd.Level;

    /// <summary><c>output[i] = op(input[i])</c> at the start-up width.</summary>
    public static unsafe void Map<TOp>(TOp op, ReadOnlySpan<float> input, Span<float> output)
        where TOp : struct, IElementwiseUnaryOperator
    {
        CheckOperand(input, output, "input");
        fixed (float* x = input, z = output)
        {
            var (px, pz) = ((nint)x, (nint)z);
            ForEachBlock(input.Length, (start, length) =>
                Map(op, new ReadOnlySpan<float>((float*)px + start, length), new Span<float>((float*)pz + start, length), Width));
        }
    }

    /// <summary><c>output[i] = op(x[i], y[i])</c> at the start-up width.</summary>
    public static unsafe void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output)
        where TOp : struct, IElementwiseBinaryOperator
    {
        CheckOperand(x, output, "x");
        CheckOperand(y, output, "y");
        fixed (float* a = x, b = y, z = output)
        {
            var (pa, pb, pz) = ((nint)a, (nint)b, (nint)z);
            ForEachBlock(x.Length, (start, length) => Map(
                op, new ReadOnlySpan<float>((float*)pa + start, length), new ReadOnlySpan<float>((float*)pb + start, length),
                new Span<float>((float*)pz + start, length), Width));
        }
    }

    /// <summary>Elements per block of a parallel map: whole blocks go to the threads, so the split never cuts a vector.</summary>
    private const int BlockElements = 4096;

    /// <summary>Runs <paramref name="body"/>(start, length) over <paramref name="n"/> elements in blocks, on several threads when large.</summary>
    private static void ForEachBlock(int n, Action<int, int> body)
    {
        int blocks = (n + BlockElements - 1) / BlockElements;
        Parallelism.For(blocks, BlockElements, (first, end) =>
        {
            int start = first * BlockElements;
            body(start, Math.Min(n, end * BlockElements) - start);
        });
    }

    /// <summary>
    /// <c>output[i] = op(input[i])</c> at a given width. <paramref name="output"/> may be
    /// <paramref name="input"/> itself but must not otherwise overlap it.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> input, Span<float> output, SimdLevel width)
        where TOp : struct, IElementwiseUnaryOperator
    {
        CheckOperand(input, output, "input");
        int n = input.Length, i = 0;
        ref float x = ref MemoryMarshal.GetReference(input);
        ref float z = ref MemoryMarshal.GetReference(output);
        if (width == SimdLevel.Vector512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        else if (width == SimdLevel.Vector256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        else if (width == SimdLevel.Vector128)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref x, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref z, i) = op.Invoke(Unsafe.Add(ref x, i));
        }
    }

    /// <summary>
    /// <c>output[i] = op(x[i], y[i])</c> at a given width. <paramref name="output"/> may be either
    /// operand itself but must not otherwise overlap them.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Map<TOp>(TOp op, ReadOnlySpan<float> x, ReadOnlySpan<float> y, Span<float> output, SimdLevel width)
        where TOp : struct, IElementwiseBinaryOperator
    {
        CheckOperand(x, output, "x");
        CheckOperand(y, output, "y");
        int n = x.Length, i = 0;
        ref float a = ref MemoryMarshal.GetReference(x);
        ref float b = ref MemoryMarshal.GetReference(y);
        ref float z = ref MemoryMarshal.GetReference(output);
        if (width == SimdLevel.Vector512)
        {
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                op.Invoke(Vector512.LoadUnsafe(ref a, (nuint)i), Vector512.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        else if (width == SimdLevel.Vector256)
        {
            for (; i <= n - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                op.Invoke(Vector256.LoadUnsafe(ref a, (nuint)i), Vector256.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        else if (width == SimdLevel.Vector128)
        {
            for (; i <= n - Vector128<float>.Count; i += Vector128<float>.Count)
            {
                op.Invoke(Vector128.LoadUnsafe(ref a, (nuint)i), Vector128.LoadUnsafe(ref b, (nuint)i)).StoreUnsafe(ref z, (nuint)i);
            }
        }
        for (; i < n; i++)
        {
            Unsafe.Add(ref z, i) = op.Invoke(Unsafe.Add(ref a, i), Unsafe.Add(ref b, i));
        }
    }

    /// <summary>Operands must match the output's length and may alias it only exactly, so each step reads before it writes.</summary>
    private static void CheckOperand(ReadOnlySpan<float> operand, ReadOnlySpan<float> output, string name)
    {
        if (operand.Length != output.Length)
        {
            throw new ArgumentException($"element-wise {name} has {operand.Length} elements but output has {output.Length}", name);
        }
        if (operand.Overlaps(output, out int offset) && offset != 0)
        {
            throw new ArgumentException($"element-wise {name} overlaps output at offset {offset}; only exact aliasing is allowed", name);
        }
    }
}
