using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Tests.Visualization;

/// <summary>The pixel font and the drawing operations the figures are made of.</summary>
public class CanvasTests
{
    private const string Known = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ .,:-+/%()=_'[]?!#><×";

    [Fact]
    public void Every_glyph_is_five_by_seven_and_distinct_and_unknown_characters_are_a_box()
    {
        var shapes = new HashSet<string>();
        foreach (char c in Known)
        {
            string bits = string.Concat(Enumerable.Range(0, 35).Select(i => PixelFont.Ink(c, i / 5, i % 5) ? '#' : '.'));
            Assert.True(shapes.Add(bits), $"glyph '{c}' repeats another");
        }
        Assert.Equal(PixelFont.Ink('a', 2, 0), PixelFont.Ink('A', 2, 0));
        Assert.True(Enumerable.Range(0, 5).All(column => PixelFont.Ink('~', 0, column) && PixelFont.Ink('~', 6, column)));
    }

    [Fact]
    public void Text_lines_and_pasted_pictures_land_where_asked_and_are_clipped_at_the_edges()
    {
        var canvas = new Canvas(20, 10, Rgb.White);
        canvas.DrawText("1", 2, 1, Rgb.Black);
        // The '1' glyph's second row is ".##..": ink at columns 1 and 2 of the glyph.
        Assert.Equal(0f, canvas.Image[0, 2, 3]);
        Assert.Equal(1f, canvas.Image[0, 2, 2]);
        canvas.DrawLine(-5, 9, 30, 9, new Rgb(1f, 0f, 0f));
        Assert.All(Enumerable.Range(0, 20), x => Assert.Equal(0f, canvas.Image[1, 9, x]));
        canvas.Paste(Tensor.Full(new Shape(1, 2, 2), 0.25f), 18, 0);
        Assert.Equal(0.25f, canvas.Image[2, 1, 19]);
        Assert.Equal(11, Canvas.TextWidth("AB"));
    }
}
