using System.CommandLine;
using System.Reflection;
using Convolve.Data;
using Convolve.Kernels;
using Convolve.Layers;

namespace Convolve.Cli.Commands;

/// <summary><c>convolve info</c>: version, SIMD levels, threads, GEMM backend and where the data is found.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var command = new Command("info", "Show the version, the SIMD level in use and the hardware's, threads, the GEMM backend, the convolution algorithm and the data location.");
        command.SetAction(_ =>
        {
            TextWriter o = context.Output;
            o.WriteLine($"version: {typeof(InfoCommand).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion}");
            o.WriteLine($"runtime: .NET {Environment.Version} on {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
            o.WriteLine($"simd: {Simd.Level}");
            o.WriteLine($"simd-hardware: {Simd.HardwareLevel}");
            o.WriteLine($"threads: {Parallelism.MaxThreads} of {Environment.ProcessorCount} cores");
            o.WriteLine($"gemm: {Gemm.Backend}");
            o.WriteLine($"convolution: {ConvolutionAlgorithms.Default.ToString().ToLowerInvariant()} (--conv-algorithm, {ConvolutionAlgorithms.EnvironmentVariable})");
            string data;
            try
            {
                data = DatasetLocator.Locate().Description;
            }
            catch (IOException ex)
            {
                data = ex.Message;
            }
            o.WriteLine($"data: {data}");
            return CliApp.Success;
        });
        return command;
    }
}
