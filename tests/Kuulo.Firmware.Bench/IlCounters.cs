namespace Kuulo.Firmware.Bench;

/// <summary>
/// What the rewritten code reports: every basic block it enters calls <see cref="Block"/> with the instructions,
/// calls and allocations that block holds, per method. Lives in the rewritten copy of this assembly, so the
/// benchmark reads it there.
/// </summary>
public static class IlCounters
{
    public const int MaxMethods = 4096;
    public static readonly long[] Instructions = new long[MaxMethods];
    public static readonly long[] Calls = new long[MaxMethods];
    public static readonly long[] Allocations = new long[MaxMethods];

    public static void Block(int method, int instructions, int calls, int allocations)
    {
        Instructions[method] += instructions;
        Calls[method] += calls;
        Allocations[method] += allocations;
    }

    public static long TotalAllocations()
    {
        long sum = 0;
        foreach (long a in Allocations)
        {
            sum += a;
        }

        return sum;
    }
}
