using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Convolve.Kernels;

/// <summary>
/// The vector operations a microkernel is written with, so that one source serves every
/// <see cref="SimdLevel"/>: the kernel is generic over this interface and its vector type, and
/// the JIT compiles one specialised copy per width (struct type arguments are never shared), with
/// every call inlined and the accumulators in registers. <see cref="Lanes"/> is the number of
/// floats in one vector, the channel block of the blocked layouts.
/// </summary>
/// <typeparam name="TVector">The vector type: <see cref="Vector512{T}"/>, <see cref="Vector256{T}"/>, <see cref="Vector128{T}"/> or float.</typeparam>
internal unsafe interface ISimdOps<TVector> where TVector : unmanaged
{
    /// <summary>Floats in one vector.</summary>
    static abstract int Lanes { get; }

    /// <summary>Loads <see cref="Lanes"/> floats.</summary>
    static abstract TVector Load(float* source);

    /// <summary>Stores <see cref="Lanes"/> floats.</summary>
    static abstract void Store(float* target, TVector value);

    /// <summary>One float in every lane.</summary>
    static abstract TVector Broadcast(float* source);

    /// <summary><c>a·b + addend</c>, fused where the level guarantees a fused instruction.</summary>
    static abstract TVector MultiplyAdd(TVector a, TVector b, TVector addend);

    /// <summary><c>a + b</c>.</summary>
    static abstract TVector Add(TVector a, TVector b);

    /// <summary><c>a − b</c>.</summary>
    static abstract TVector Subtract(TVector a, TVector b);

    /// <summary><c>a·b</c>.</summary>
    static abstract TVector Multiply(TVector a, TVector b);

    /// <summary>The sum of the lanes, added in a fixed order.</summary>
    static abstract float Sum(TVector value);

    /// <summary>One float in every lane.</summary>
    static abstract TVector Create(float value);

    /// <summary><c>max(value, 0)</c> per lane, as the ReLU layer computes it (NaN stays NaN, −0 becomes +0).</summary>
    static abstract TVector Relu(TVector value);

    /// <summary>The lane-wise larger of two vectors (IEEE maximum: +0 over −0).</summary>
    static abstract TVector Max(TVector a, TVector b);

    /// <summary><c>value</c> where <paramref name="mask"/> is positive, else 0, per lane (the rectifier's gradient).</summary>
    static abstract TVector WherePositive(TVector value, TVector mask);
}

/// <summary>AVX-512: 16 lanes, fused multiply-add (every AVX-512 processor has FMA).</summary>
internal readonly unsafe struct SimdOps512 : ISimdOps<Vector512<float>>
{
    public static int Lanes => 16;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load(float* source) => Vector512.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* target, Vector512<float> value) => value.Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Broadcast(float* source) => Vector512.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> MultiplyAdd(Vector512<float> a, Vector512<float> b, Vector512<float> addend) => Vector512.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Add(Vector512<float> a, Vector512<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Subtract(Vector512<float> a, Vector512<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Multiply(Vector512<float> a, Vector512<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector512<float> value) => Vector512.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Create(float value) => Vector512.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Relu(Vector512<float> value) => Vector512.Max(value, Vector512<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Max(Vector512<float> a, Vector512<float> b) => Vector512.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> WherePositive(Vector512<float> value, Vector512<float> mask) => Vector512.ConditionalSelect(Vector512.GreaterThan(mask, Vector512<float>.Zero), value, Vector512<float>.Zero);
}

/// <summary>AVX2: 8 lanes, fused multiply-add (<see cref="Simd"/> chooses this level only with FMA).</summary>
internal readonly unsafe struct SimdOps256 : ISimdOps<Vector256<float>>
{
    public static int Lanes => 8;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load(float* source) => Vector256.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* target, Vector256<float> value) => value.Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Broadcast(float* source) => Vector256.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> MultiplyAdd(Vector256<float> a, Vector256<float> b, Vector256<float> addend) => Vector256.FusedMultiplyAdd(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Add(Vector256<float> a, Vector256<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Subtract(Vector256<float> a, Vector256<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Multiply(Vector256<float> a, Vector256<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector256<float> value) => Vector256.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Create(float value) => Vector256.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Relu(Vector256<float> value) => Vector256.Max(value, Vector256<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Max(Vector256<float> a, Vector256<float> b) => Vector256.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> WherePositive(Vector256<float> value, Vector256<float> mask) => Vector256.ConditionalSelect(Vector256.GreaterThan(mask, Vector256<float>.Zero), value, Vector256<float>.Zero);
}

/// <summary>
/// SSE/NEON: 4 lanes; multiply-add fused where the hardware has it (as the GEMM's 128-bit
/// microkernel: a software-fused operation would be far slower than a multiply and an add).
/// </summary>
internal readonly unsafe struct SimdOps128 : ISimdOps<Vector128<float>>
{
    public static int Lanes => 4;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Load(float* source) => Vector128.Load(source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* target, Vector128<float> value) => value.Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Broadcast(float* source) => Vector128.Create(*source);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> MultiplyAdd(Vector128<float> a, Vector128<float> b, Vector128<float> addend) => Vector128.MultiplyAddEstimate(a, b, addend);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Add(Vector128<float> a, Vector128<float> b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Subtract(Vector128<float> a, Vector128<float> b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Multiply(Vector128<float> a, Vector128<float> b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(Vector128<float> value) => Vector128.Sum(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Create(float value) => Vector128.Create(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Relu(Vector128<float> value) => Vector128.Max(value, Vector128<float>.Zero);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> Max(Vector128<float> a, Vector128<float> b) => Vector128.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<float> WherePositive(Vector128<float> value, Vector128<float> mask) => Vector128.ConditionalSelect(Vector128.GreaterThan(mask, Vector128<float>.Zero), value, Vector128<float>.Zero);
}

/// <summary>No SIMD: one lane, a multiply then an add (as the scalar GEMM microkernel).</summary>
internal readonly unsafe struct SimdOpsScalar : ISimdOps<float>
{
    public static int Lanes => 1;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Store(float* target, float value) => *target = value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Broadcast(float* source) => *source;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float MultiplyAdd(float a, float b, float addend) => (a * b) + addend;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Add(float a, float b) => a + b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Subtract(float a, float b) => a - b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Multiply(float a, float b) => a * b;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Sum(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Create(float value) => value;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Relu(float value) => MathF.Max(value, 0f);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Max(float a, float b) => MathF.Max(a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float WherePositive(float value, float mask) => mask > 0f ? value : 0f;
}
