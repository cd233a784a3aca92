namespace Convolve.Kernels;

/// <summary>
/// A tile dimension known when the JIT compiles a microkernel: a microkernel generic over a
/// struct implementing this interface is compiled once per size, <see cref="Value"/> folds to a
/// constant, and every accumulator beyond it is dead code. This is how one source holds the
/// register-blocked kernels of every tile shape (C# has no integer template parameters).
/// </summary>
internal interface ITileSize
{
    /// <summary>The size.</summary>
    static abstract int Value { get; }
}

/// <summary>Tile size 1.</summary>
internal readonly struct Tile1 : ITileSize
{
    public static int Value => 1;
}

/// <summary>Tile size 2.</summary>
internal readonly struct Tile2 : ITileSize
{
    public static int Value => 2;
}

/// <summary>Tile size 3.</summary>
internal readonly struct Tile3 : ITileSize
{
    public static int Value => 3;
}

/// <summary>Tile size 4.</summary>
internal readonly struct Tile4 : ITileSize
{
    public static int Value => 4;
}

/// <summary>Tile size 5.</summary>
internal readonly struct Tile5 : ITileSize
{
    public static int Value => 5;
}

/// <summary>Tile size 6.</summary>
internal readonly struct Tile6 : ITileSize
{
    public static int Value => 6;
}

/// <summary>Tile size 7.</summary>
internal readonly struct Tile7 : ITileSize
{
    public static int Value => 7;
}

/// <summary>Tile size 8.</summary>
internal readonly struct Tile8 : ITileSize
{
    public static int Value => 8;
}

/// <summary>Tile size 9.</summary>
internal readonly struct Tile9 : ITileSize
{
    public static int Value => 9;
}

/// <summary>Tile size 10.</summary>
internal readonly struct Tile10 : ITileSize
{
    public static int Value => 10;
}

/// <summary>Tile size 11.</summary>
internal readonly struct Tile11 : ITileSize
{
    public static int Value => 11;
}

/// <summary>Tile size 12.</summary>
internal readonly struct Tile12 : ITileSize
{
    public static int Value => 12;
}

/// <summary>Tile size 13.</summary>
internal readonly struct Tile13 : ITileSize
{
    public static int Value => 13;
}

/// <summary>Tile size 14.</summary>
internal readonly struct Tile14 : ITileSize
{
    public static int Value => 14;
}
