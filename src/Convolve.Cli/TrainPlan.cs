using Convolve.Cli.Commands;
using Convolve.Data;
using Convolve.Models;
using Convolve.Optimizers;
using Convolve.Tensors;
using Convolve.Training;

namespace Convolve.Cli;

/// <summary>
/// Everything `convolve train` decides and checks before it reads any data or writes any file:
/// the recipe (a resume's comes from its checkpoint), the output folder, the data (a resume's is
/// the data it recorded, compared by fingerprint), the sizes (batch, limit, steps, warm-up) and
/// the memory the run will need. Each problem is a user error naming the option and its value.
/// </summary>
internal sealed class TrainPlan
{
    private TrainPlan(TrainRecipe recipe, TrainingCheckpoint? resumed, string? resumeFolder, DataSource data, DataShape train, RunFolder folder)
    {
        (Recipe, Resumed, ResumeFolder, Data, Train, Folder) = (recipe, resumed, resumeFolder, data, train, folder);
    }

    public TrainRecipe Recipe { get; }

    public TrainingCheckpoint? Resumed { get; }

    /// <summary>The folder of the run being resumed, or null.</summary>
    public string? ResumeFolder { get; }

    /// <summary>The data: an IDX file set, CIFAR-10 batches or a folder of pictures.</summary>
    public DataSource Data { get; }

    /// <summary>The training set's shape after <c>--limit</c>.</summary>
    public DataShape Train { get; }

    public RunFolder Folder { get; }

    /// <summary>Lines to print before training: where the data come from and any difference from a resumed run's.</summary>
    public List<string> Notes { get; } = [];

    /// <summary>Plans the run; <paramref name="writes"/> is false on the ranks of a distributed run that write nothing (all but rank 0), which skip the write check on the shared folder.</summary>
    public static TrainPlan Prepare(TrainRequest request, bool writes = true)
    {
        var (recipe, resumed, resumeFolder) = ResolveRecipe(request);
        RunFolder folder = ResolveFolder(request, recipe, resumeFolder);
        PictureOptions pictures = resumed is null ? request.Pictures : RecordedPictures(resumed);
        DataSource files = resumed is null || request.Data is not null
            ? DataSource.Locate(request.Data, pictures, strict: resumed is null)
            : RecordedData(recipe, pictures);
        CheckPause(request.PauseAfter, recipe, resumed);
        var (train, test) = CheckSizes(recipe, files);
        CheckMemory(recipe, resumed, train, test);
        var notes = new List<string> { $"data: {files.Description}" };
        recipe = recipe with { Data = files.DirectoryPath, DataFingerprint = CheckFingerprint(request, recipe, resumed, files, notes) };
        if (writes)
        {
            folder.RequireWritable();
        }
        var plan = new TrainPlan(recipe, resumed, resumeFolder, files, train, folder);
        plan.Notes.AddRange(notes);
        return plan;
    }

    private static (TrainRecipe Recipe, TrainingCheckpoint? Resumed, string? Folder) ResolveRecipe(TrainRequest request)
    {
        if (request.ResumeFrom is null)
        {
            return (request.Recipe, null, null);
        }
        if (request.RecipeOptionsGiven.Count > 0)
        {
            throw new UserErrorException(
                $"{request.RecipeOptionsGiven[0]} cannot be given with --resume: a resumed run keeps its recipe; only --epochs (the new total), --data, --threads, --output, --pause-after, --shards, --distributed, --comm-timeout and --profile may be given");
        }
        string path = Directory.Exists(request.ResumeFrom) ? Path.Combine(request.ResumeFrom, "last.safetensors") : request.ResumeFrom;
        var resumed = TrainingCheckpoint.Load(InputFiles.RequireFile(path, "--resume"));
        string stored = resumed.Metadata.GetValueOrDefault(TrainRecipe.MetadataKey)
            ?? throw new UserErrorException($"--resume {path} has no training recipe; it was not written by 'convolve train'");
        TrainRecipe original = TrainRecipe.FromJson(stored, path);
        int epochs = request.Epochs ?? original.Epochs;
        int done = resumed.CompletedEpoch + 1;
        if (epochs <= done)
        {
            string asked = request.Epochs is null ? $"the run in {path} has already completed all its {done} epoch{(done == 1 ? "" : "s")}" : $"--epochs {epochs}: the run in {path} has already completed {done} epoch{(done == 1 ? "" : "s")}";
            throw new UserErrorException($"{asked}; pass --epochs with more than {done} to extend it");
        }
        return (original with { Epochs = epochs }, resumed, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    private static void CheckPause(int? pauseAfter, TrainRecipe recipe, TrainingCheckpoint? resumed)
    {
        int done = resumed is null ? 0 : resumed.CompletedEpoch + 1;
        if (pauseAfter is int pause && (pause <= done || pause >= recipe.Epochs))
        {
            throw new UserErrorException($"--pause-after {pause} must be after the {done} epoch{(done == 1 ? "" : "s")} done and before the run's {recipe.Epochs}");
        }
    }

    private static RunFolder ResolveFolder(TrainRequest request, TrainRecipe recipe, string? resumeFolder)
    {
        string path = request.Output ?? resumeFolder ?? Path.Combine("runs", recipe.Model);
        var folder = new RunFolder(path, request.Output is null ? "the output folder" : "--output");
        bool continuesInPlace = resumeFolder is not null && InputFiles.SameFile(folder.FullPath, resumeFolder);
        if (continuesInPlace && request.Overwrite)
        {
            throw new UserErrorException($"--overwrite would replace the run being resumed in {path}; drop --overwrite, or choose another --output");
        }
        if (!continuesInPlace)
        {
            folder.RequireNoRun(request.Overwrite);
        }
        return folder;
    }

    /// <summary>The data's fingerprint; a resume on data other than the run's is refused unless --data asks for them.</summary>
    private static DatasetFingerprint CheckFingerprint(TrainRequest request, TrainRecipe recipe, TrainingCheckpoint? resumed, DataSource files, List<string> notes)
    {
        DatasetFingerprint fingerprint = files.Fingerprint();
        string? difference = resumed is null || recipe.DataFingerprint is null ? null : fingerprint.DifferenceFrom(recipe.DataFingerprint);
        if (difference is not null && request.Data is null)
        {
            throw new UserErrorException($"the data in {files.DirectoryPath} are not the data the run trained on: {difference}; pass --data {files.DirectoryPath} to resume on them anyway");
        }
        if (difference is not null)
        {
            notes.Add($"data: not the data the run trained on ({difference}); resuming on them as --data asks");
        }
        return fingerprint;
    }

    private static DataSource RecordedData(TrainRecipe recipe, PictureOptions pictures)
    {
        if (recipe.Data is null || recipe.DataFingerprint is null || !Path.IsPathFullyQualified(recipe.Data))
        {
            throw new UserErrorException("the run does not record where its data are (it was written by an older convolve); pass --data DIR to resume it");
        }
        return DataSource.Locate(recipe.Data, pictures, strict: false, DatasetSource.Recorded);
    }

    /// <summary>How the resumed run read its folder of pictures: the recorded input shape and held-out share.</summary>
    private static PictureOptions RecordedPictures(TrainingCheckpoint resumed)
    {
        string? json = resumed.Metadata.GetValueOrDefault(TrainingData.InputShapeKey);
        int[]? item = null;
        try
        {
            item = json is null ? null : System.Text.Json.JsonSerializer.Deserialize<int[]>(json);
        }
        catch (System.Text.Json.JsonException)
        {
            // an unreadable shape: the folder is read with the defaults, and the model refuses a mismatch
        }
        return PictureOptions.FromMetadata(resumed.Metadata, item is { Length: > 0 } && item.All(d => d > 0) ? new Shape(item) : null);
    }

    private static (DataShape Train, DataShape Test) CheckSizes(TrainRecipe recipe, DataSource files)
    {
        DataShape train = files.TrainShape(), test = files.TestShape();
        if (train.Item != test.Item)
        {
            throw new UserErrorException($"the training images in {files.DirectoryPath} are {train.Item} but the test images are {test.Item}; both sets must have one image shape");
        }
        if (recipe.Limit > train.Count)
        {
            throw new UserErrorException($"--limit {recipe.Limit} is more than the {train.Count:N0} training images in {files.DirectoryPath}");
        }
        train = train with { Count = recipe.Limit ?? train.Count };
        if (recipe.BatchSize > train.Count)
        {
            throw new UserErrorException($"--batch-size {recipe.BatchSize} is more than the {train.Count:N0} training images");
        }
        long steps = (long)recipe.Epochs * ((train.Count + recipe.BatchSize - 1) / recipe.BatchSize);
        if (steps > Optimizer.MaxStepCount)
        {
            throw new UserErrorException($"--epochs {recipe.Epochs} would take {steps:N0} steps, more than the {Optimizer.MaxStepCount:N0} a checkpoint counts exactly");
        }
        if (recipe.Schedule == "step" && recipe.StepSize > recipe.Epochs)
        {
            throw new UserErrorException($"--step-size {recipe.StepSize} is more than the {recipe.Epochs} epochs: the learning rate would never decay");
        }
        if (recipe.Warmup > steps)
        {
            throw new UserErrorException($"--warmup {recipe.Warmup} is more than the run's {steps:N0} steps");
        }
        return (train, test);
    }

    private static void CheckMemory(TrainRecipe recipe, TrainingCheckpoint? resumed, DataShape train, DataShape test)
    {
        var model = resumed?.Model ?? recipe.CreateModel(train.Item, 10, new RandomSource(0));
        long parameters = model.NamedParameters().Sum(p => (long)p.Parameter.Value.Size);
        MemoryEstimate.Require("--batch-size",
            ("training images", MemoryEstimate.Images(train.Count, train.Item)),
            ("test images", MemoryEstimate.Images(test.Count, test.Item)),
            ("model and optimizer", parameters * sizeof(float) * (2 + recipe.OptimizerBuffers)),
            ("activations and their gradients", 2 * MemoryEstimate.Activations(model, train.Item, recipe.BatchSize)));
    }
}
