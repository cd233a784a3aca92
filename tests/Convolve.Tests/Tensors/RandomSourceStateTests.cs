using Convolve.Tensors;

namespace Convolve.Tests.Tensors;

public class RandomSourceStateTests
{
    [Fact]
    public void Restored_state_continues_the_same_sequence_including_a_pending_normal()
    {
        var random = new RandomSource(99);
        random.NextNormal(); // leaves a spare normal pending
        ulong[] state = random.GetState();
        double[] expected = [random.NextNormal(), random.NextDouble(), random.NextInt(1000), random.NextNormal()];

        var other = new RandomSource(5);
        other.SetState(state);
        double[] actual = [other.NextNormal(), other.NextDouble(), other.NextInt(1000), other.NextNormal()];
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Invalid_states_are_refused_without_changing_the_generator()
    {
        var random = new RandomSource(1);
        ulong[] before = random.GetState();
        Assert.Contains("6 words but got 4", Assert.Throws<ArgumentException>(() => random.SetState([1, 2, 3, 4])).Message, StringComparison.Ordinal);
        Assert.Contains("all four generator words zero", Assert.Throws<ArgumentException>(() => random.SetState([0, 0, 0, 0, 0, 0])).Message, StringComparison.Ordinal);
        Assert.Contains("must be 0 or 1 but got 7", Assert.Throws<ArgumentException>(() => random.SetState([1, 2, 3, 4, 7, 0])).Message, StringComparison.Ordinal);
        Assert.Equal(before, random.GetState());
    }
}
