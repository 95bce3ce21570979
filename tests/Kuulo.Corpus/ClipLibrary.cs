namespace Kuulo.Corpus;

/// <summary>
/// The recorded human speech and hold music the corpus is mixed from: every voice of <see cref="Speakers"/> (Debian's
/// Asterisk prompt packages) by person, the queue/hold announcements each voice recorded, and
/// asterisk-moh-opsound-wav.
/// </summary>
public sealed class ClipLibrary
{
    public const int Rate = 8000;
    public const string SoundsRoot = "/usr/share/asterisk/sounds";
    public const string MusicRoot = "/usr/share/asterisk/moh";

    /// <summary>Files that are tones or silence, not a voice, so never speech.</summary>
    private static readonly HashSet<string> NotSpeech = new(StringComparer.Ordinal) { "beep", "beeperr", "ascending-2tone", "descending-2tone" };

    /// <summary>Prompts that sound like a queue's "please hold" announcement.</summary>
    private static readonly HashSet<string> HoldAnnouncements = new(StringComparer.Ordinal)
    {
        "pls-hold-while-try", "queue-thankyou", "queue-holdtime", "queue-callswaiting", "queue-periodic-announce", "queue-reporthold",
    };

    private ClipLibrary(Dictionary<string, Clip[]> speech, Dictionary<string, Clip[]> announcements, Clip[] music)
    {
        BySpeaker = speech;
        Announcements = announcements;
        Music = music;
    }

    /// <summary>Each person's prompts (all their folders), trimmed to the voice, 0.2-6 s.</summary>
    public IReadOnlyDictionary<string, Clip[]> BySpeaker { get; }

    /// <summary>Each person's hold/queue announcements.</summary>
    public IReadOnlyDictionary<string, Clip[]> Announcements { get; }

    public Clip[] Music { get; }

    /// <summary>Where decoded GSM prompts are kept between runs (decoding through sox is the slow part of loading).</summary>
    public static string CacheDirectory => Path.Combine(Path.GetTempPath(), "kuulo-corpus-cache");

    /// <summary>Loads every speaker and the hold music; says which package to install when one is missing.</summary>
    public static ClipLibrary Load() => Load(Speakers.All);

    public static ClipLibrary Load(IEnumerable<Speaker> speakers)
    {
        var speech = new Dictionary<string, Clip[]>();
        var announcements = new Dictionary<string, Clip[]>();
        foreach (var speaker in speakers)
        {
            var files = new List<(string Name, string Path)>();
            foreach (var folder in speaker.Folders)
            {
                string dir = Path.Combine(SoundsRoot, folder);
                if (!Directory.Exists(dir))
                {
                    throw new CorpusException($"{dir} is missing: install the Debian package {speaker.Package}");
                }

                files.AddRange(SpeechFiles(dir).Select(f => (folder + "/" + Path.GetRelativePath(dir, f), f)));
            }

            var clips = new Clip[files.Count];
            Parallel.For(0, files.Count, i => clips[i] = new Clip(files[i].Name, Trim(WithoutDc(ReadAny(files[i].Path)))));
            speech[speaker.Name] = clips.Where(c => c.Seconds >= 0.2 && c.Seconds <= 6.0).ToArray();
            announcements[speaker.Name] = clips.Where(c => HoldAnnouncements.Contains(Stem(c.Name)) && !c.Name.Contains("/followme/") && c.Seconds >= 1).ToArray();
        }

        if (!Directory.Exists(MusicRoot))
        {
            throw new CorpusException($"{MusicRoot} is missing: install the Debian package asterisk-moh-opsound-wav");
        }

        var music = Directory.GetFiles(MusicRoot, "*.wav").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => new Clip(Path.GetFileName(f), Mono8k.Read(f))).ToArray();
        return new ClipLibrary(speech, announcements, music);
    }

    /// <summary>One file per prompt (WAV when a folder has both WAV and GSM), in a fixed order, without tones and silence.</summary>
    private static IEnumerable<string> SpeechFiles(string dir) => Directory
        .GetFiles(dir, "*", new EnumerationOptions { RecurseSubdirectories = true, AttributesToSkip = 0 })
        .Where(f => f.EndsWith(".wav", StringComparison.Ordinal) || f.EndsWith(".gsm", StringComparison.Ordinal))
        .Where(f => !f.Contains("/silence/") && !NotSpeech.Contains(Stem(f)))
        .GroupBy(f => f[..f.LastIndexOf('.')], StringComparer.Ordinal)
        .Select(g => g.OrderBy(f => f.EndsWith(".wav", StringComparison.Ordinal) ? 0 : 1).First())
        .OrderBy(f => f, StringComparer.Ordinal);

    private static string Stem(string path) => Path.GetFileNameWithoutExtension(path);

    /// <summary>WAV directly; anything else decoded by sox once and cached as raw floats.</summary>
    private static float[] ReadAny(string path)
    {
        if (path.EndsWith(".wav", StringComparison.Ordinal))
        {
            return Mono8k.Read(path);
        }

        var info = new FileInfo(path);
        string key = $"{path.TrimStart('/').Replace('/', '_')}-{info.Length}-{info.LastWriteTimeUtc.Ticks}.f32";
        string cached = Path.Combine(CacheDirectory, key);
        if (File.Exists(cached))
        {
            var bytes = File.ReadAllBytes(cached);
            var samples = new float[bytes.Length / 4];
            Buffer.BlockCopy(bytes, 0, samples, 0, samples.Length * 4);
            return samples;
        }

        var decoded = Sox.Decode(path);
        Directory.CreateDirectory(CacheDirectory);
        // Written under a unique name and renamed, so concurrent generators never read half a file.
        string temp = cached + "." + Guid.NewGuid().ToString("N");
        var raw = new byte[decoded.Length * 4];
        Buffer.BlockCopy(decoded, 0, raw, 0, raw.Length);
        File.WriteAllBytes(temp, raw);
        File.Move(temp, cached, overwrite: true);
        return decoded;
    }

    /// <summary>
    /// Takes out a recording's DC offset and drift below about 20 Hz, as a microphone's coupling does: some prompts
    /// (Menardi's) carry hundreds of steps of it. Left in, an offset that starts and stops with each clip is a sound
    /// no line makes, one voice's trait the detector could learn, and it kept the clip's silent ends from being trimmed.
    /// </summary>
    public static float[] WithoutDc(float[] samples)
    {
        double mean = 0;
        foreach (float x in samples)
        {
            mean += x;
        }

        mean /= Math.Max(1, samples.Length);
        for (int i = 0; i < samples.Length; i++)
        {
            samples[i] = (float)(samples[i] - mean);
        }

        return Dsp.HighPass(samples, 20);
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
