namespace Kuulo.Corpus;

/// <summary>
/// The recorded human speech and hold music the corpus is mixed from: Asterisk's studio prompts
/// (asterisk-core-sounds-*-wav, one professional speaker per language) and asterisk-moh-opsound-wav.
/// </summary>
public sealed class ClipLibrary
{
    public const int Rate = 8000;
    public const string SoundsRoot = "/usr/share/asterisk/sounds";
    public const string MusicRoot = "/usr/share/asterisk/moh";

    /// <summary>Voices by folder name, e.g. en_US_f_Allison; Debian package asterisk-core-sounds-LANG-wav.</summary>
    public static readonly string[] Voices = { "en_US_f_Allison", "es_MX_f_Allison", "fr_CA_f_June", "it_IT_m_Carlo", "ru_RU_f_IvrvoiceRU" };

    private ClipLibrary(Dictionary<string, Clip[]> voices, Clip[] music)
    {
        ByVoice = voices;
        Music = music;
    }

    public IReadOnlyDictionary<string, Clip[]> ByVoice { get; }
    public Clip[] Music { get; }

    /// <summary>Loads every voice and the hold music; says which package to install when one is missing.</summary>
    public static ClipLibrary Load()
    {
        var voices = new Dictionary<string, Clip[]>();
        foreach (var voice in Voices)
        {
            string dir = Path.Combine(SoundsRoot, voice);
            if (!Directory.Exists(dir))
            {
                string lang = voice[..2];
                throw new CorpusException($"{dir} is missing: install the Debian package asterisk-core-sounds-{lang}-wav");
            }

            voices[voice] = Directory.GetFiles(dir, "*.wav", SearchOption.AllDirectories)
                .OrderBy(f => f, StringComparer.Ordinal)
                .Select(f => new Clip(Path.GetRelativePath(dir, f), Trim(Mono8k.Read(f))))
                .Where(c => c.Seconds >= 0.2 && c.Seconds <= 6.0)
                .ToArray();
        }

        if (!Directory.Exists(MusicRoot))
        {
            throw new CorpusException($"{MusicRoot} is missing: install the Debian package asterisk-moh-opsound-wav");
        }

        var music = Directory.GetFiles(MusicRoot, "*.wav").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new Clip(Path.GetFileName(f), Mono8k.Read(f))).ToArray();
        return new ClipLibrary(voices, music);
    }

    /// <summary>
    /// Cuts the prompt's leading and trailing silence, so labels mark where the voice is, not the file: 10 ms
    /// frames more than 35 dB below the clip's loudest frame (or below -55 dBFS) at either end are dropped.
    /// </summary>
    public static float[] Trim(float[] samples)
    {
        const int Frame = Rate / 100;
        int frames = samples.Length / Frame;
        if (frames == 0)
        {
            return samples;
        }

        var power = new double[frames];
        for (int f = 0; f < frames; f++)
        {
            double sum = 0;
            for (int i = f * Frame; i < (f + 1) * Frame; i++)
            {
                sum += samples[i] * samples[i];
            }

            power[f] = sum / Frame;
        }

        double threshold = Math.Max(power.Max() * Math.Pow(10, -3.5), Math.Pow(10, -5.5));
        int first = Array.FindIndex(power, p => p > threshold);
        int last = Array.FindLastIndex(power, p => p > threshold);
        if (first < 0)
        {
            return Array.Empty<float>();
        }

        return samples[(first * Frame)..((last + 1) * Frame)];
    }
}

public sealed class CorpusException(string message) : Exception(message);
