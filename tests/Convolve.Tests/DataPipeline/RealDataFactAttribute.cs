using Convolve.Data;

namespace Convolve.Tests.DataPipeline;

/// <summary>A fact that runs only when Debian's dataset-fashion-mnist is installed, and says so when skipped.</summary>
public sealed class RealDataFactAttribute : FactAttribute
{
    public RealDataFactAttribute()
    {
        if (DatasetLocator.TryFind(DatasetLocator.SystemDirectory, DatasetSource.System) is null)
        {
            Skip = $"the full Fashion-MNIST is not installed in {DatasetLocator.SystemDirectory} (apt-get install dataset-fashion-mnist)";
        }
    }
}
