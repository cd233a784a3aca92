using Convolve.Data;
using Convolve.Layers;
using Convolve.Losses;
using Convolve.Optimizers;
using Convolve.Tensors;

namespace Convolve.Training;

/// <summary>
/// Trains a classifier with mini-batches. One step: clear the gradients, forward in training mode,
/// cross-entropy, the NaN guard on the loss, backward (the first layer computes no input gradient),
/// the gradient norm (clipped when asked) and its guard, the learning rate from the schedule, and
/// the optimizer's update. Loss and accuracy are summed in double. Progress goes to an
/// <see cref="IProgress{T}"/> and to <see cref="ITrainingCallback"/>s; nothing is printed.
/// </summary>
public sealed class Trainer
{
    private readonly DivergenceGuard guard;

    /// <summary>Creates the trainer; the optimizer's current rate becomes the schedule's base rate.</summary>
    /// <exception cref="ArgumentException">An option is invalid, or the optimizer updates a parameter that is not the model's.</exception>
    public Trainer(Layer model, Optimizer optimizer, CrossEntropyLoss loss, TrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        RequireModelParameters(model, optimizer);
        (Model, Optimizer, Loss, Options, BaseLearningRate) = (model, optimizer, loss, options, optimizer.LearningRate);
        guard = new DivergenceGuard(model);
    }

    /// <summary>The model being trained.</summary>
    public Layer Model { get; }

    /// <summary>The optimizer that updates the model's parameters.</summary>
    public Optimizer Optimizer { get; }

    /// <summary>The training loss.</summary>
    public CrossEntropyLoss Loss { get; }

    /// <summary>The options.</summary>
    public TrainerOptions Options { get; }

    /// <summary>The rate the schedule scales: the optimizer's rate when the trainer was created.</summary>
    public double BaseLearningRate { get; }

    /// <summary>
    /// Trains from <see cref="TrainerOptions.StartEpoch"/> to <see cref="TrainerOptions.Epochs"/>,
    /// evaluating <paramref name="validation"/> (if any) in evaluation mode after each epoch.
    /// Cancellation is checked before every step, so the model is always left after a whole step.
    /// </summary>
    /// <param name="train">The training batches; it must be at epoch <see cref="TrainerOptions.StartEpoch"/> (restored with <see cref="DataLoader.SetState"/> on resume).</param>
    /// <param name="validation">Data evaluated after each epoch, or null.</param>
    /// <param name="progress">Receives a report after every step, or null.</param>
    /// <param name="cancellationToken">Stops training before the next step with <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="TrainingDivergedException">A loss or gradient norm was NaN or infinite; that step was not applied.</exception>
    public TrainingHistory Fit(DataLoader train, Dataset? validation, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(train);
        if (train.Epoch != Options.StartEpoch)
        {
            throw new ArgumentException(
                $"the training loader is at epoch {train.Epoch} (batch {train.Position} of {train.BatchesPerEpoch}) but TrainerOptions.StartEpoch is {Options.StartEpoch}; "
                + "to resume, restore the loader with DataLoader.SetState from the same checkpoint as the model and optimizer", nameof(train));
        }
        if (validation is not null)
        {
            Evaluator.Validate(Model, validation, Options.EvaluationBatchSize);
        }
        var history = new TrainingHistory();
        var context = new TrainingContext(this, train, history, Options.PreviousBestAccuracy, Options.PreviousBestEpoch, Options.StartGlobalStep);
        Model.Train();
        // Every step consumes each layer's outputs before the next, so layers may reuse them:
        // no multi-megabyte allocations per step (no gen-2 collections, no fresh page faults).
        bool reusing = Model.ReuseBuffers;
        Model.SetReuseBuffers(true);
        try
        {
            for (int epoch = Options.StartEpoch; epoch < Options.Epochs; epoch++)
            {
                context.Epoch = epoch;
                var meter = new EpochMeter(train.BatchesPerEpoch, train.Position);
                double rate = RunSteps(train, meter, context, progress, cancellationToken);
                var report = EndEpoch(meter, rate, validation, context);
                history.Add(report);
                foreach (var callback in Options.Callbacks)
                {
                    callback.OnEpochEnd(report, context);
                }
            }
        }
        finally
        {
            Model.SetReuseBuffers(reusing);
        }
        return history;
    }

    /// <summary>Runs the rest of the current epoch's steps; returns the last step's learning rate.</summary>
    private double RunSteps(DataLoader train, EpochMeter meter, TrainingContext context, IProgress<TrainingProgress>? progress, CancellationToken cancellationToken)
    {
        int epoch = context.Epoch;
        double rate = Optimizer.LearningRate;
        while (train.Epoch == epoch)
        {
            cancellationToken.ThrowIfCancellationRequested();
            rate = ApplySchedule(epoch, context.GlobalStep);
            var at = new StepPosition(epoch, Options.Epochs, meter.StepInEpoch + 1, meter.StepsPerEpoch, context.GlobalStep + 1, rate);
            var (images, labels) = train.NextBatch();
            var (meanLoss, correct, gradientNorm) = Step(images, labels, at);
            meter.Add(labels.Length, meanLoss * labels.Length, correct);
            context.GlobalStep++;
            var report = new TrainingProgress(epoch, Options.Epochs, meter.StepInEpoch, meter.StepsPerEpoch, context.GlobalStep, meanLoss,
                meter.MeanLoss, meter.Accuracy, meter.ImagesPerSecond, meter.Remaining, rate, gradientNorm);
            progress?.Report(report);
            foreach (var callback in Options.Callbacks)
            {
                callback.OnStep(report, context);
            }
        }
        return rate;
    }

    /// <summary>One optimizer step; returns the batch's mean loss, its correct count and the gradient norm before clipping.</summary>
    private (double MeanLoss, int Correct, double GradientNorm) Step(Tensor images, int[] labels, StepPosition at)
    {
        Model.ZeroGrad();
        guard.Save();
        var (loss, correct) = Options.Workers is { } workers ? workers.ComputeGradient(Model, Loss, images, labels) : ComputeGradient(images, labels);
        if (!double.IsFinite(loss))
        {
            throw guard.Diverged(at, loss, null, Optimizer.Parameters);
        }
        // An infinite maximum only measures the norm, so the guard sees a bad gradient even without clipping.
        double gradientNorm = GradientClipping.ClipGradNorm(Optimizer.Parameters, Options.ClipGradNorm ?? double.PositiveInfinity);
        if (!double.IsFinite(gradientNorm))
        {
            throw guard.Diverged(at, loss, gradientNorm, Optimizer.Parameters);
        }
        Optimizer.Step();
        double meanLoss = Loss.Reduction == Reduction.Mean ? loss : loss / labels.Length;
        return (meanLoss, correct, gradientNorm);
    }

    /// <summary>Forward, loss and (when the loss is finite) backward on the whole batch in this process.</summary>
    private (double Loss, int Correct) ComputeGradient(Tensor images, int[] labels)
    {
        Tensor logits = Model.Forward(images);
        double loss = Loss.Forward(logits, labels);
        if (!double.IsFinite(loss))
        {
            return (loss, 0);
        }
        int correct = Scores.CountCorrect(logits, labels);
        Model.BackwardParametersOnly(Loss.Backward());
        return (loss, correct);
    }

    /// <summary>Sets the optimizer's rate from the schedule's closed form (so a resume at any step is exact); returns the rate.</summary>
    private double ApplySchedule(int epoch, long stepsTaken)
    {
        if (Options.Schedule is { } schedule)
        {
            long t = Options.ScheduleUnit == ScheduleUnit.Step ? stepsTaken : epoch;
            Optimizer.LearningRate = schedule.LearningRate(checked((int)t), BaseLearningRate);
        }
        return Optimizer.LearningRate;
    }

    /// <summary>Evaluates if due, decides "best so far", and builds the report.</summary>
    private EpochReport EndEpoch(EpochMeter meter, double rate, Dataset? validation, TrainingContext context)
    {
        double imagesPerSecond = meter.ImagesPerSecond;
        bool scoreOnValidation = validation is not null && Options.EvaluateEveryEpoch;
        EvaluationResult? evaluation = validation is not null && (scoreOnValidation || context.Epoch == Options.Epochs - 1)
            ? Options.Workers?.Evaluate(Model, validation!, Options.EvaluationBatchSize) ?? Evaluator.Evaluate(Model, validation!, Options.EvaluationBatchSize)
            : null;
        double score = scoreOnValidation ? evaluation!.Accuracy : meter.Accuracy;
        bool isBest = context.BestAccuracy is not { } best || score > best;
        if (isBest)
        {
            (context.BestAccuracy, context.BestEpoch) = (score, context.Epoch);
        }
        return new EpochReport(context.Epoch, context.GlobalStep, meter.MeanLoss, meter.Accuracy, evaluation?.Loss, evaluation?.Accuracy,
            rate, meter.Seconds, imagesPerSecond, isBest);
    }

    private static void RequireModelParameters(Layer model, Optimizer optimizer)
    {
        var owned = new HashSet<Parameter>(model.NamedParameters().Select(named => named.Parameter), ReferenceEqualityComparer.Instance);
        for (int i = 0; i < optimizer.Parameters.Count; i++)
        {
            var parameter = optimizer.Parameters[i];
            if (!owned.Contains(parameter))
            {
                throw new ArgumentException(
                    $"optimizer parameter {i} ('{parameter.Name}' {parameter.Shape}) is not a parameter of the model ({model.Name}); "
                    + "build the optimizer from the same model's parameters", nameof(optimizer));
            }
        }
    }
}
