// README: begin usings
using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Training;
// README: end usings
using System.Runtime.CompilerServices;
using Convolve.Tests.Cli;

namespace Convolve.Tests.Readme;

/// <summary>
/// The README's library snippet is this file's code (its usings and the body of <see cref="Snippet"/>),
/// so it is compiled with the tests; the test runs it on the bundled sample and evaluates the
/// model it saves with <c>convolve eval</c>, as the README says one can.
/// </summary>
[Collection(Dense.GlobalRandomSerial.Name)]
public sealed class LibrarySnippetTests
{
    [Fact]
    public void The_readme_snippet_is_this_code()
    {
        string source = File.ReadAllText(SourcePath());
        string readme = File.ReadAllText(Path.Combine(Path.GetDirectoryName(SourcePath())!, "..", "..", "..", "README.md"));
        string usings = ReadmeText.Between(source, "// README: begin usings\n", "// README: end usings\n");
        string body = ReadmeText.Dedent(ReadmeText.Between(source, "        // README: begin code\n", "        // README: end code\n"), 8);
        string snippet = ReadmeText.Between(readme, "## Using the library\n\n```csharp\n", "```\n");
        Assert.Equal(usings + "\n" + body, snippet);
    }

    [Fact]
    public void The_snippet_trains_and_saves_a_model_that_convolve_eval_uses()
    {
        Snippet();
        try
        {
            var saved = SavedModel.Load("my-model.safetensors");
            Assert.NotNull(saved.Normalization);
            Assert.NotEqual(InputNormalization.None, saved.Normalization);
            var eval = CliRunner.Run("eval", "my-model.safetensors", "--data", DatasetLocator.SampleDirectory);
            Assert.True(eval.ExitCode == 0, eval.Error);
            Assert.Contains("1,000 test images: accuracy", eval.Output, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete("my-model.safetensors");
        }
    }

    private static void Snippet()
    {
        // README: begin code
        DatasetFiles files = DatasetLocator.Locate(DatasetLocator.SampleDirectory);   // Locate() searches as `convolve train` does
        Dataset train = files.LoadTrain(), test = files.LoadTest();
        var (mean, std) = train.ComputeMeanStd();
        var normalization = new InputNormalization(mean, std);
        train.Normalize(normalization);
        test.Normalize(normalization);

        var model = new Sequential(
            new Conv2d(1, 8, 5, padding: 2), new ReLU(), new MaxPool2d(2),
            new Flatten(), new Linear(8 * 14 * 14, 10));
        var optimizer = new Sgd(model.NamedParameters().Select(p => p.Parameter), learningRate: 0.05, momentum: 0.9);
        var loss = new CrossEntropyLoss();

        model.Train();
        foreach (var (images, labels) in new DataLoader(train, batchSize: 64, seed: 1).Batches())   // one epoch
        {
            Tensor logits = model.Forward(images);        // images: [64, 1, 28, 28]
            loss.Forward(logits, labels);                 // labels: int[64]
            optimizer.ZeroGrad();
            model.Backward(loss.Backward());              // adds into every Parameter.Grad
            optimizer.Step();
        }
        Console.WriteLine($"test accuracy {Evaluator.Evaluate(model, test).Accuracy:P2}");
        Model.Save("my-model.safetensors", model, normalization: normalization);   // then: convolve eval my-model.safetensors
        // README: end code
    }

    private static string SourcePath([CallerFilePath] string path = "") => path;
}
