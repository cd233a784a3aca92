using System.Text.Json;
using Convolve.Data;
using Convolve.Imaging;
using Convolve.Layers;
using Convolve.Tensors;
using Convolve.Visualization;

namespace Convolve.Cli.Report;

/// <summary>
/// Builds a run's <c>report.html</c> and <c>curves.png</c> from what its folder holds: the epochs in
/// <c>history.json</c>, and <c>best.safetensors</c> (with its recipe and normalisation) scored again
/// on the test set. Both files are computed before either is written.
/// </summary>
internal static class TrainingReport
{
    public const string HtmlName = "report.html", CurvesName = "curves.png";

    /// <param name="folder">The run folder.</param>
    /// <param name="dataDirectory">Where to find the test set (default: the recipe's, then as convolve train finds it); ignored when <paramref name="test"/> is given.</param>
    /// <param name="test">The run's test set, already normalised, with its description, or null to load it.</param>
    /// <param name="outputFolder">Where to write (default: the run folder).</param>
    /// <param name="log">Progress lines.</param>
    public static OutputFiles Build(string folder, string? dataDirectory, (Dataset Set, string Description)? test, string? outputFolder, TextWriter log)
    {
        RunHistory history = RunHistory.Load(folder);
        string best = Path.Combine(folder, "best.safetensors");
        if (!File.Exists(best))
        {
            throw new UserErrorException($"{best} not found: the run folder holds no best model to report on");
        }
        ModelInput input = ModelInput.Load(best);
        TrainRecipe? recipe = input.Metadata.TryGetValue(TrainRecipe.MetadataKey, out string? json) ? TrainRecipe.FromJson(json, best) : null;
        var (set, description) = test ?? LoadTest(input, dataDirectory ?? recipe?.Data, log);
        ReportScores scores = ReportScores.Compute(input.Model, set);
        var wrong = scores.MostConfidentlyWrong(12)
            .Select(s => (s, ImageFile.EncodePng(ImageChoice.FromSet(input, set, s.Index, "test").Picture))).ToList();
        ConvNd? first = NetworkLayers.Of(input.Model).Select(l => l.Layer).OfType<ConvNd>().FirstOrDefault();
        byte[]? filters = first?.Weight.Value.Rank == 4 ? ImageFile.EncodePng(FilterFigure.Of(first)) : null;
        var content = new ReportContent(recipe?.Model ?? history.Model, best, description, history, scores,
            Enumerable.Range(0, set.Classes).Select(input.ClassName).ToList(), wrong, filters, RecipeRows(recipe));
        var files = new OutputFiles();
        files.Add(Path.Combine(outputFolder ?? folder, HtmlName), System.Text.Encoding.UTF8.GetBytes(HtmlReport.Render(content)));
        files.Add(Path.Combine(outputFolder ?? folder, CurvesName), ImageFile.EncodePng(Curves(history)));
        return files;
    }

    /// <summary>Loss and accuracy charts side by side, as in the HTML page.</summary>
    public static Tensor Curves(RunHistory history)
    {
        var x = history.Epochs.Select(e => (double)e.Epoch).ToList();
        Tensor loss = CurvePlot.Draw("LOSS", "EPOCH", [
            new CurveSeries("TRAIN", HtmlReport.Train, x, history.Epochs.Select(e => e.TrainLoss).ToList()),
            new CurveSeries("TEST", HtmlReport.Test, x, history.Epochs.Select(e => e.TestLoss ?? double.NaN).ToList())]);
        Tensor accuracy = CurvePlot.Draw("ACCURACY (%)", "EPOCH", [
            new CurveSeries("TRAIN", HtmlReport.Train, x, history.Epochs.Select(e => 100 * e.TrainAccuracy).ToList()),
            new CurveSeries("TEST", HtmlReport.Test, x, history.Epochs.Select(e => 100 * (e.TestAccuracy ?? double.NaN)).ToList())]);
        return ImageGrid.Beside([loss, accuracy], gap: 0);
    }

    private static (Dataset, string) LoadTest(ModelInput input, string? directory, TextWriter log)
    {
        DataSource files = input.Locate(directory);
        Dataset test = files.LoadTest();
        test.Normalize(input.Normalization);
        return (test, files.Description);
    }

    private static List<(string, string)> RecipeRows(TrainRecipe? recipe)
    {
        if (recipe is null)
        {
            return [("recipe", "not recorded in the checkpoint")];
        }
        using JsonDocument document = JsonDocument.Parse(recipe.ToJson());
        return document.RootElement.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind == JsonValueKind.Null ? "–" : p.Value.ToString())).ToList();
    }
}
