namespace Convolve.Tests.Onnx;

/// <summary>A theory that runs only when CONVOLVE_TORCHVISION_ONNX names the folder of tools/onnx/export_torchvision.py's files, and says so when skipped.</summary>
public sealed class TorchvisionTheoryAttribute : TheoryAttribute
{
    /// <summary>The environment variable naming the folder.</summary>
    public const string Variable = "CONVOLVE_TORCHVISION_ONNX";

    public TorchvisionTheoryAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"{Variable} is not set: run /usr/bin/python3 tools/onnx/export_torchvision.py DIR and set {Variable}=DIR (as .ci/run does) to check torchvision's classifiers";
        }
    }
}
