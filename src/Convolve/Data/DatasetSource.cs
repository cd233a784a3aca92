namespace Convolve.Data;

/// <summary>Where <see cref="DatasetLocator"/> found a data set, in its order of precedence.</summary>
public enum DatasetSource
{
    /// <summary>The directory given explicitly (the command line's <c>--data DIR</c>).</summary>
    Explicit,

    /// <summary>The directory in the <c>CONVOLVE_DATA</c> environment variable.</summary>
    Environment,

    /// <summary>Debian's <c>dataset-fashion-mnist</c> package in <c>/usr/share/datasets/fashion-mnist</c>.</summary>
    System,

    /// <summary>The small sample bundled with Convolve.</summary>
    Sample,

    /// <summary>The directory a training run recorded, used again when it is resumed.</summary>
    Recorded,
}
