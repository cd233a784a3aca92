using System.Text.Json;
using Convolve.Layers;
using Convolve.Optimizers;
using Convolve.Tensors;

namespace Convolve.Tests.Optimizers;

/// <summary>
/// Reads Data/optim_golden.json, written by tools/reference/make_optim_golden.py from PyTorch 1.13.
/// </summary>
internal static class OptimGolden
{
    /// <summary>PyTorch and Convolve agree to |ours − torch| ≤ 1e-6·(1 + |torch|).</summary>
    public const double Tolerance = 1e-6;

    private static readonly Lazy<JsonDocument> Document = new(() =>
        JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "optim_golden.json"))));

    public static JsonElement Section(string name) => Document.Value.RootElement.GetProperty(name);

    public static JsonElement Case(string section, string name) =>
        Section(section).EnumerateArray().Single(c => c.GetProperty("name").GetString() == name);

    public static TheoryData<string> Names(string section)
    {
        var data = new TheoryData<string>();
        foreach (var c in Section(section).EnumerateArray())
        {
            data.Add(c.GetProperty("name").GetString()!);
        }
        return data;
    }

    public static double Number(JsonElement element) =>
        element.ValueKind == JsonValueKind.String ? double.Parse(element.GetString()!, System.Globalization.CultureInfo.InvariantCulture) : element.GetDouble();

    public static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => (float)e.GetDouble()).ToArray();

    public static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(Number).ToArray();

    /// <summary>Parameters with the case's shapes, loaded from the given per-parameter value lists.</summary>
    public static Parameter[] Parameters(JsonElement testCase, JsonElement values)
    {
        var shapes = testCase.GetProperty("shapes").EnumerateArray().ToArray();
        var lists = values.EnumerateArray().ToArray();
        var parameters = new Parameter[shapes.Length];
        for (int i = 0; i < shapes.Length; i++)
        {
            parameters[i] = new Parameter($"p{i}", new Shape(shapes[i].EnumerateArray().Select(d => d.GetInt32()).ToArray()));
            parameters[i].Load(Floats(lists[i]));
        }
        return parameters;
    }

    /// <summary>Copies one step's gradients (a list per parameter) into the parameters' Grad.</summary>
    public static void SetGradients(Parameter[] parameters, JsonElement stepGradients)
    {
        var lists = stepGradients.EnumerateArray().ToArray();
        for (int i = 0; i < parameters.Length; i++)
        {
            Floats(lists[i]).CopyTo(parameters[i].Grad.Span);
        }
    }

    /// <summary>Builds the optimizer a golden case describes with PyTorch's option names.</summary>
    public static Optimizer Optimizer(JsonElement testCase, Parameter[] parameters)
    {
        var o = testCase.GetProperty("options");
        double Get(string name, double fallback) => o.TryGetProperty(name, out var v) ? v.GetDouble() : fallback;
        bool Flag(string name) => o.TryGetProperty(name, out var v) && v.GetBoolean();
        double[] betas = o.TryGetProperty("betas", out var b) ? Doubles(b) : [0.9, 0.999];
        double lr = Get("lr", double.NaN);
        return testCase.GetProperty("type").GetString() switch
        {
            "SGD" => new Sgd(parameters, lr, Get("momentum", 0), Get("dampening", 0), Get("weight_decay", 0), Flag("nesterov")),
            "Adam" => new Adam(parameters, lr, betas[0], betas[1], Get("eps", 1e-8), Get("weight_decay", 0), Flag("amsgrad")),
            "AdamW" => new AdamW(parameters, lr, betas[0], betas[1], Get("eps", 1e-8), Get("weight_decay", 1e-2), Flag("amsgrad")),
            var other => throw new InvalidDataException($"unknown optimizer type {other}"),
        };
    }

    /// <summary>Builds the schedule a golden case describes.</summary>
    public static LearningRateSchedule Schedule(JsonElement s) => s.GetProperty("type").GetString() switch
    {
        "StepLR" => new StepLR(s.GetProperty("step_size").GetInt32(), s.GetProperty("gamma").GetDouble()),
        "CosineAnnealingLR" => new CosineAnnealingLR(s.GetProperty("t_max").GetInt32(), s.GetProperty("eta_min").GetDouble()),
        "LinearWarmup" => new LinearWarmup(s.GetProperty("warmup_steps").GetInt32(), Schedule(s.GetProperty("then"))),
        var other => throw new InvalidDataException($"unknown schedule type {other}"),
    };
}
