namespace Convolve.Visualization;

/// <summary>
/// A 5×7 pixel font for labels drawn into images (no font file or text renderer is needed):
/// digits, capital letters (lower case is drawn as capitals) and common punctuation; any other
/// character is drawn as a hollow box. Each glyph is 7 rows of 5 cells, '#' for ink.
/// </summary>
internal static class PixelFont
{
    /// <summary>Glyph width in pixels.</summary>
    public const int Width = 5;

    /// <summary>Glyph height in pixels.</summary>
    public const int Height = 7;

    /// <summary>Horizontal advance per character (glyph and one pixel of space).</summary>
    public const int Advance = Width + 1;

    private static readonly Dictionary<char, string[]> Glyphs = Build();

    /// <summary>Whether glyph <paramref name="c"/> has ink at (<paramref name="row"/>, <paramref name="column"/>).</summary>
    public static bool Ink(char c, int row, int column)
    {
        string[] glyph = Glyphs.GetValueOrDefault(char.ToUpperInvariant(c)) ?? Glyphs['\0'];
        return glyph[row][column] == '#';
    }

    /// <summary>The width of <paramref name="text"/> in pixels at scale 1.</summary>
    public static int Measure(string text) => text.Length == 0 ? 0 : text.Length * Advance - 1;

    private static Dictionary<char, string[]> Build()
    {
        const string rows =
            "0 .###. #...# #..## #.#.# ##..# #...# .###.|1 ..#.. .##.. ..#.. ..#.. ..#.. ..#.. .###.|2 .###. #...# ....# ...#. ..#.. .#... #####|" +
            "3 ####. ....# ....# .###. ....# ....# ####.|4 ...#. ..##. .#.#. #..#. #####. ...#. ...#.|5 ##### #.... ####. ....# ....# #...# .###.|" +
            "6 ..##. .#... #.... ####. #...# #...# .###.|7 ##### ....# ...#. ..#.. .#... .#... .#...|8 .###. #...# #...# .###. #...# #...# .###.|" +
            "9 .###. #...# #...# .#### ....# ...#. .##..|A .###. #...# #...# ##### #...# #...# #...#|B ####. #...# #...# ####. #...# #...# ####.|" +
            "C .###. #...# #.... #.... #.... #...# .###.|D ###.. #..#. #...# #...# #...# #..#. ###..|E ##### #.... #.... ####. #.... #.... #####|" +
            "F ##### #.... #.... ####. #.... #.... #....|G .###. #...# #.... #.### #...# #...# .####|H #...# #...# #...# ##### #...# #...# #...#|" +
            "I .###. ..#.. ..#.. ..#.. ..#.. ..#.. .###.|J ..### ...#. ...#. ...#. ...#. #..#. .##..|K #...# #..#. #.#.. ##... #.#.. #..#. #...#|" +
            "L #.... #.... #.... #.... #.... #.... #####|M #...# ##.## #.#.# #.#.# #...# #...# #...#|N #...# #...# ##..# #.#.# #..## #...# #...#|" +
            "O .###. #...# #...# #...# #...# #...# .###.|P ####. #...# #...# ####. #.... #.... #....|Q .###. #...# #...# #...# #.#.# #..#. .##.#|" +
            "R ####. #...# #...# ####. #.#.. #..#. #...#|S .#### #.... #.... .###. ....# ....# ####.|T ##### ..#.. ..#.. ..#.. ..#.. ..#.. ..#..|" +
            "U #...# #...# #...# #...# #...# #...# .###.|V #...# #...# #...# #...# #...# .#.#. ..#..|W #...# #...# #...# #.#.# #.#.# #.#.# .#.#.|" +
            "X #...# #...# .#.#. ..#.. .#.#. #...# #...#|Y #...# #...# .#.#. ..#.. ..#.. ..#.. ..#..|Z ##### ....# ...#. ..#.. .#... #.... #####|" +
            "  ..... ..... ..... ..... ..... ..... .....|. ..... ..... ..... ..... ..... .##.. .##..|, ..... ..... ..... ..... .##.. ..#.. .#...|" +
            ": ..... .##.. .##.. ..... .##.. .##.. .....|- ..... ..... ..... ##### ..... ..... .....|+ ..... ..#.. ..#.. ##### ..#.. ..#.. .....|" +
            "/ ....# ....# ...#. ..#.. .#... #.... #....|% ##..# ##..# ...#. ..#.. .#... #..## #..##|( ...#. ..#.. .#... .#... .#... ..#.. ...#.|" +
            ") .#... ..#.. ...#. ...#. ...#. ..#.. .#...|= ..... ..... ##### ..... ##### ..... .....|_ ..... ..... ..... ..... ..... ..... #####|" +
            "' ..#.. ..#.. .#... ..... ..... ..... .....|[ .###. .#... .#... .#... .#... .#... .###.|] .###. ...#. ...#. ...#. ...#. ...#. .###.|" +
            "? .###. #...# ....# ...#. ..#.. ..... ..#..|! ..#.. ..#.. ..#.. ..#.. ..#.. ..... ..#..|# .#.#. .#.#. ##### .#.#. ##### .#.#. .#.#.|" +
            "> .#... ..#.. ...#. ....# ...#. ..#.. .#...|< ...#. ..#.. .#... #.... .#... ..#.. ...#.|× ..... #...# .#.#. ..#.. .#.#. #...# .....|" +
            "\0 ##### #...# #...# #...# #...# #...# #####";
        var glyphs = new Dictionary<char, string[]>();
        foreach (string entry in rows.Split('|'))
        {
            string[] glyph = entry[2..].Split(' ').Select(row => row[..Width]).ToArray();
            glyphs[entry[0]] = glyph;
        }
        return glyphs;
    }
}
