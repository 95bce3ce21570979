using Kuulo.Core.Audio;
using Kuulo.Desk.Audio;
using Kuulo.Desk.Evaluation;

namespace Kuulo.Training;

/// <summary>
/// Per-channel feature vectors and speech labels of every frame of a labelled corpus, computed by the core's own
/// <see cref="BandAnalyser"/> and <see cref="SpeechFeatures"/> exactly as the device runs them.
/// </summary>
public sealed class FrameSet
{
    public List<float[]> Features { get; } = new();
    public List<bool> Speech { get; } = new();

    public double Seconds { get; private set; }

    /// <summary>Frames of one channel (0 = agent, 1 = customer) of every conversation in the directories.</summary>
    public static FrameSet Load(IEnumerable<string> directories, int channel, int frameMs) => LoadFiles(Conversations(directories), channel, frameMs);

    /// <summary>Every conversation (<c>NAME.wav</c>) of the directories, in ordinal order of path: the order training reads them in.</summary>
    public static IEnumerable<string> Conversations(IEnumerable<string> directories) =>
        directories.SelectMany(d => Directory.GetFiles(d, "*.wav")).OrderBy(f => f, StringComparer.Ordinal);

    /// <summary>Frames of one channel of the given conversations (each <c>NAME.wav</c> beside its <c>NAME.json</c>).</summary>
    public static FrameSet LoadFiles(IEnumerable<string> wavs, int channel, int frameMs)
    {
        var set = new FrameSet();
        foreach (var wav in wavs)
        {
            var labels = Labels.Load(Path.ChangeExtension(wav, ".json"));
            set.Add(wav, channel == 0 ? labels.AgentSpeech : labels.CustomerSpeech, channel, frameMs);
        }

        return set;
    }

    private void Add(string wavPath, IReadOnlyList<(double Start, double End)> speech, int channel, int frameMs)
    {
        using var wav = WavReader.Open(wavPath);
        int samples = wav.SampleRate / 1000 * frameMs;
        var frame = new short[2 * samples];
        var bands = new BandAnalyser(wav.SampleRate, samples);
        var features = new SpeechFeatures(frameMs);
        int index = 0, segment = 0;
        while (wav.Read(frame) == frame.Length)
        {
            bands.Analyse(frame, 0, channel, samples);
            features.Update(bands);
            double start = index * frameMs / 1000.0, end = start + frameMs / 1000.0;
            while (segment < speech.Count && speech[segment].End <= start)
            {
                segment++;
            }

            // A frame is speech when most of it lies inside a labelled segment.
            double inside = 0;
            for (int s = segment; s < speech.Count && speech[s].Start < end; s++)
            {
                inside += Math.Min(end, speech[s].End) - Math.Max(start, speech[s].Start);
            }

            Features.Add((float[])features.Values.Clone());
            Speech.Add(inside * 2 >= end - start);
            index++;
        }

        Seconds += index * frameMs / 1000.0;
    }
}
