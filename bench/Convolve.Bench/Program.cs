using Convolve.Bench;
using Convolve.Kernels;

// Usage: dotnet run -c Release --project bench/Convolve.Bench -- gemm [--threads N] [--shapes a,b,...]
//                                                               -- microkernel
const string Usage = "usage: Convolve.Bench gemm [--threads N] [--shapes name,name,...] | microkernel";
if (args is ["microkernel"])
{
    MicrokernelBench.Run(Console.Out, new Benchmark());
    return 0;
}
if (args.Length == 0 || args[0] != "gemm")
{
    Console.Error.WriteLine(Usage);
    return 2;
}
IEnumerable<GemmShape> shapes = GemmShape.Standard;
for (int i = 1; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--threads" when i + 1 < args.Length && int.TryParse(args[i + 1], out int threads) && threads > 0:
            Gemm.MaxThreads = threads;
            i++;
            break;
        case "--shapes" when i + 1 < args.Length:
            var names = args[++i].Split(',');
            shapes = GemmShape.Standard.Where(shape => names.Contains(shape.Name)).ToList();
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete option \"{args[i]}\"; {Usage}");
            return 2;
    }
}
GemmBench.Run(Console.Out, new Benchmark(), shapes);
return 0;
