using System.Globalization;
using Convolve.Distributed;

// Usage (under mpirun): Convolve.MpiChild collectives | truncate | timeout | exchange FLOATS
// collectives: every collective of MpiCommunicator once, each rank printing what it received;
// truncate: rank 0 broadcasts more bytes than the others expect, whose error is printed;
// timeout: rank 1 is late for a barrier by far more than the 2-second timeout of the others;
// exchange: times the allgather of FLOATS floats per rank that a data-parallel step makes
// (docs/BENCHMARKS.md), 5 warm-up and 50 timed rounds, each after a barrier.
string mode = args.Length >= 1 ? args[0] : "";
using var world = MpiCommunicator.Initialize(TimeSpan.FromSeconds(mode == "timeout" ? 2 : 60), message => Console.Error.WriteLine(message));
int rank = world.Rank, size = world.Size;
void Print(string what, IEnumerable<double> values) =>
    Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"rank {rank} {what} {string.Join(' ', values)}"));
switch (mode)
{
    case "collectives":
        var floats = new float[2 * size];
        world.Allgather([rank + 0.5f, 10f * rank], floats);
        Print("allgather-float", floats.Select(f => (double)f));
        var doubles = new double[size];
        world.Allgather([Math.Pow(2, -rank)], doubles);
        Print("allgather-double", doubles);
        var bytes = new byte[size];
        world.Allgather([(byte)(200 + rank)], bytes);
        Print("allgather-byte", bytes.Select(b => (double)b));
        double[] sum = [rank + 1, Math.Pow(2, rank)];
        world.AllreduceSum(sum);
        Print("sum-double", sum);
        float[] sumFloat = [0.25f * rank];
        world.AllreduceSum(sumFloat);
        Print("sum-float", sumFloat.Select(f => (double)f));
        double[] max = [rank * 3 % 5];
        world.AllreduceMax(max);
        Print("max-double", max);
        float[] broadcast = [rank == size - 1 ? 7.25f : 0f, rank == size - 1 ? -1f : 0f];
        world.Broadcast(broadcast, size - 1);
        Print("broadcast-float", broadcast.Select(f => (double)f));
        byte[] broadcastBytes = [(byte)(rank == 0 ? 42 : 0)];
        world.Broadcast(broadcastBytes, 0);
        Print("broadcast-byte", broadcastBytes.Select(b => (double)b));
        world.Barrier();
        Print("done", []);
        return 0;
    case "truncate":
        try
        {
            world.Broadcast(new byte[rank == 0 ? 64 : 16], 0);
            Print("no-error", []);
        }
        catch (CommunicationException ex)
        {
            Console.Out.WriteLine($"rank {rank} error {ex.Message}");
        }
        Console.Out.Flush();
        Environment.Exit(0);
        return 0;
    case "timeout":
        if (rank == 1)
        {
            Thread.Sleep(TimeSpan.FromSeconds(60));
        }
        world.Barrier();
        Print("barrier-passed", []);
        return 0;
    case "exchange" when args.Length == 2 && int.TryParse(args[1], CultureInfo.InvariantCulture, out int count) && count > 0:
        var send = new float[count];
        var receive = new float[(long)count * size];
        var times = new List<double>();
        for (int round = 0; round < 55; round++)
        {
            world.Barrier();
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            world.Allgather(send, receive);
            times.Add(System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }
        times = [.. times.Skip(5).Order()];
        if (rank == 0)
        {
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"allgather of {count:N0} floats ({count * 4 / 1e6:0.###} MB) per rank over {size} ranks: median {times[times.Count / 2]:0.###} ms, min {times[0]:0.###} ms"));
        }
        return 0;
    default:
        Console.Error.WriteLine("usage: Convolve.MpiChild collectives | truncate | timeout | exchange FLOATS");
        return 2;
}
