namespace Kuulo.Corpus;

/// <summary>One recorded prompt, trimmed to its speech, as samples at 8 kHz scaled to -1..1.</summary>
public sealed record Clip(string Name, float[] Samples)
{
    public double Seconds => Samples.Length / (double)ClipLibrary.Rate;
}
