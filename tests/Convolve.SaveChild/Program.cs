using System.Globalization;
using Convolve.SaveChild;
using Convolve.Serialization;

// Usage: Convolve.SaveChild PATH
// Warms up (a save to a scratch folder, so the kill test's delays are not eaten by the JIT),
// prints "ready", waits for "go SEQUENCE" on standard input, then saves PATH over and over with
// sequence numbers SEQUENCE, SEQUENCE + 1, ... until it is killed.
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: Convolve.SaveChild PATH");
    return 2;
}
string scratch = Path.Combine(Path.GetTempPath(), "convolve-savechild-" + Guid.NewGuid().ToString("N"));
Directory.CreateDirectory(scratch);
try
{
    CheckpointWriter.Save(Path.Combine(scratch, "warm.ckpt"), KillTestContent.Tensors(0), KillTestContent.Metadata(0));
    _ = CheckpointReader.Load(Path.Combine(scratch, "warm.ckpt"));
}
finally
{
    Directory.Delete(scratch, recursive: true);
}
Console.Out.WriteLine("ready");
Console.Out.Flush();
string? command = Console.In.ReadLine();
if (command is null || !command.StartsWith("go ", StringComparison.Ordinal))
{
    return 0;
}
for (long sequence = long.Parse(command[3..], CultureInfo.InvariantCulture); ; sequence++)
{
    CheckpointWriter.Save(args[0], KillTestContent.Tensors(sequence), KillTestContent.Metadata(sequence));
}
