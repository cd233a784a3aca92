using Convolve.Bench;
using Convolve.Kernels;

// Usage: dotnet run -c Release --project bench/Convolve.Bench -- gemm [--threads N] [--shapes a,b,...]
//                                                               -- layers [--threads N] [--only name;name]
//                                                               -- train [--threads N] [--runs R] [--profile] [--model NAME] [--batch B] [--size S]
//                                                               -- passes [--threads N] [--only name;name] [--algorithm NAME]
//                                                               -- infer [--threads N] [--model NAME] [--batch B] [--ort] [--profile] [--save DIR]
//                                                               -- microkernel
const string Usage = "usage: Convolve.Bench gemm [--threads N] [--shapes name,name,...] | layers [--threads N] [--only name;name] "
    + "| train [--threads N] [--runs R] [--profile] [--model NAME] [--batch B] [--size S] | passes [--threads N] [--only name;name] [--algorithm NAME] "
    + "| infer [--threads N] [--model NAME] [--batch B] [--ort] [--profile] [--save DIR] | microkernel";
if (args is ["microkernel"])
{
    MicrokernelBench.Run(Console.Out, new Benchmark());
    return 0;
}
if (args.Length == 0 || args[0] is not ("gemm" or "layers" or "train" or "passes" or "infer"))
{
    Console.Error.WriteLine(Usage);
    return 2;
}
IEnumerable<GemmShape> shapes = GemmShape.Standard;
string[]? only = null;
string? algorithmName = null;
int runs = 50;
bool profile = false;
string model = "fashion-cnn";
string? inferModel = null;
int[] inferBatches = [1, 64];
int? trainBatch = null, trainSize = null;
bool ort = false;
string? saveFolder = null;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int threads) && threads > 0:
            Parallelism.MaxThreads = threads;
            i++;
            break;
        case "--shapes" when i + 1 < args.Length:
            var names = args[++i].Split(',');
            shapes = GemmShape.Standard.Where(shape => names.Contains(shape.Name)).ToList();
            break;
        case "--only" when i + 1 < args.Length:
            only = args[++i].Split(';');
            break;
        case "--algorithm" when i + 1 < args.Length && args[i + 1] is "im2col" or "direct" or "winograd":
            algorithmName = args[++i];
            break;
        case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], out int count) && count >= 20:
            runs = count;
            i++;
            break;
        case "--model" when i + 1 < args.Length:
            model = inferModel = args[++i];
            break;
        case "--batch" when i + 1 < args.Length && int.TryParse(args[i + 1], out int batch) && batch > 0:
            inferBatches = [batch];
            trainBatch = batch;
            i++;
            break;
        case "--size" when i + 1 < args.Length && int.TryParse(args[i + 1], out int size) && size > 0:
            trainSize = size;
            i++;
            break;
        case "--save" when i + 1 < args.Length:
            saveFolder = args[++i];
            break;
        case "--ort":
            ort = true;
            break;
        case "--profile":
            profile = true;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete option \"{args[i]}\"; {Usage}");
            return 2;
    }
}
if (args[0] != "gemm")
{
    Console.WriteLine($"# convolve {args[0]}: backend {Gemm.Backend}, SIMD {Simd.Level}, threads {Parallelism.MaxThreads}, "
    + $"server GC {System.Runtime.GCSettings.IsServerGC}");
}
switch (args[0])
{
    case "gemm":
        GemmBench.Run(Console.Out, new Benchmark(), shapes);
        break;
    case "passes":
        PassesBench.Run(Console.Out, new Benchmark { MinRunSeconds = 0, WarmupSeconds = 1 }, only, algorithmName);
        break;
    case "layers":
        // Two seconds of warm-up per row: the tiered JIT needs that long to settle the code run on pool threads
        // (Conv2d(1,32,5) forward on 2 threads: 7 ms after 0.3 s of warm-up, 1.7 ms once settled or with tiering off).
        LayerBench.Run(Console.Out, new Benchmark { MinRunSeconds = 0, WarmupSeconds = 2 }, only);
        break;
    case "infer":
        InferBench.Run(Console.Out, new Benchmark { MinRunSeconds = 0.02, WarmupSeconds = 1, Runs = 9 }, inferModel, inferBatches, ort, Parallelism.MaxThreads, profile, saveFolder);
        break;
    default:
        TrainBench.Run(Console.Out, runs, profile, model, trainBatch ?? TrainBench.DefaultBatch, trainSize);
        break;
}
return 0;
