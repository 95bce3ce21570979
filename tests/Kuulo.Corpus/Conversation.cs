namespace Kuulo.Corpus;

/// <summary>A labelled event as in shared/corpus/FORMAT.md; instants have <see cref="End"/> (interruption, backchannel) or not (monologue).</summary>
public sealed record LabelEvent(string Type, double Start, double? End, bool IsSpan);

/// <summary>A generated conversation: two channels of audio and the ground truth that produced it.</summary>
public sealed class Conversation
{
    public required int SampleRate { get; init; }
    public required short[] Interleaved { get; init; }
    public required List<(double Start, double End)> AgentSpeech { get; init; }
    public required List<(double Start, double End)> CustomerSpeech { get; init; }
    public required List<LabelEvent> Events { get; init; }
    public required Dictionary<string, object> Conditions { get; init; }

    public double DurationSeconds => Interleaved.Length / 2.0 / SampleRate;
}
