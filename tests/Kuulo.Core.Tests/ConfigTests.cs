using Kuulo.Core.Config;

namespace Kuulo.Core.Tests;

public class ConfigTests
{
    [Fact]
    public void DefaultsAreValidAndInRange()
    {
        Assert.Null(new DeskConfig().Validate());
        foreach (var p in DeskConfig.Parameters)
        {
            Assert.InRange(p.Default, p.Min, p.Max);
        }
    }

    [Fact]
    public void ParameterNamesAreUnique() =>
        Assert.Equal(DeskConfig.Parameters.Length, DeskConfig.Parameters.Select(p => p.Name).Distinct().Count());

    [Fact]
    public void OutOfRangeIsRejectedNotClamped()
    {
        var c = new DeskConfig();
        Assert.Equal("monologue_ms must be between 10000 and 600000 ms (got 5)", c.Set("monologue_ms", 5));
        Assert.Equal(60_000, c.MonologueMs);
        Assert.Equal("unknown setting 'nope'", c.Set("nope", 1));
    }

    [Fact]
    public void IncoherentCombinationsAreRejected()
    {
        var c = new DeskConfig();
        Assert.Null(c.Set("dead_air_second_ms", 4000));
        Assert.Contains("dead_air_second_ms (4000) must be greater than dead_air_first_ms (5000)", c.Validate());
        Assert.Null(c.Set("dead_air_second_ms", 10_000));
        Assert.Null(c.Set("frame_ms", 15));
        Assert.Contains("frame_ms must be 10 or 20", c.Validate());
    }
}
