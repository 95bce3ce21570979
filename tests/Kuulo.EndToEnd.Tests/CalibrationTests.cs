using System.Text.Json;
using Kuulo.Corpus;
using Kuulo.Core.Protocol;
using Kuulo.Desk.Audio;
using Kuulo.Desk.Unit;
using Kuulo.TestSupport;
using static Kuulo.EndToEnd.Tests.Harness;

namespace Kuulo.EndToEnd.Tests;

/// <summary>
/// Issue 10, calibration end to end: the companion asks a running host desk unit for a level check, the unit listens
/// to the call it is playing and answers, and the API shows each channel's floor and speech level and the echo.
/// </summary>
public sealed class CalibrationTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("kuulo-e2e-cal-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public async Task ACalibrationCheckShowsEachChannelsLevelsAsTheDeskHeardThem()
    {
        using var companion = await CompanionProcess.StartAsync();
        // The first 20 s of a corpus conversation (recorded speech on a clean line: this checks the plumbing of the
        // levels, not detection under noise): looped, any 10 s of it has both voices.
        string conversation = CleanConversation();
        string both = Clip(conversation, "both.wav", customer: true);
        // The same call with the customer's channel dead, as with a broken or unplugged tap.
        string agentOnly = Clip(conversation, "agent-only.wav", customer: false);
        await using var wired = await StartAsync(companion, "cal-wired", both);
        await using var broken = await StartAsync(companion, "cal-broken", agentOnly);

        var good = await CalibrateAsync(companion, "cal-wired");
        Assert.True(good.GetProperty("measuredMs").GetInt32() >= CalibrationReport.DurationMs);
        foreach (var channel in new[] { "agent", "customer" })
        {
            int floor = good.GetProperty(channel + "FloorDb").GetInt32();
            int speech = good.GetProperty(channel + "SpeechDb").GetInt32();
            Assert.True(speech >= floor + 6, $"{channel}: speech {speech} dB is not above the floor {floor} dB: {good}");
            Assert.InRange(good.GetProperty(channel + "SpeechMs").GetInt32(), 500, CalibrationReport.DurationMs);
        }

        // Separate channels: the customer comes back on the agent's mic far below the customer's own level.
        Assert.True(good.GetProperty("echoLeakDb").GetInt32() < -10, good.ToString());
        Assert.DoesNotContain(good.GetProperty("findings").EnumerateArray(), f => f.GetString()!.StartsWith("no speech heard"));

        var bad = await CalibrateAsync(companion, "cal-broken");
        Assert.Equal(JsonValueKind.Null, bad.GetProperty("customerSpeechDb").ValueKind);
        Assert.Equal(0, bad.GetProperty("customerSpeechMs").GetInt32());
        Assert.True(bad.GetProperty("agentSpeechDb").GetInt32() > bad.GetProperty("agentFloorDb").GetInt32() + 10, bad.ToString());
        Assert.Contains(bad.GetProperty("findings").EnumerateArray(), f => f.GetString()!.StartsWith("no speech heard on the customer (right) channel"));
    }

    /// <summary>Asks for a check and waits for the desk's answer, as the device page does; returns the report the API shows.</summary>
    private static async Task<JsonElement> CalibrateAsync(CompanionProcess companion, string device)
    {
        var asked = await companion.Http.PostAsync($"/api/devices/{device}/calibration", null);
        string body = await asked.Content.ReadAsStringAsync();
        Assert.True(asked.IsSuccessStatusCode, body);
        long command = JsonDocument.Parse(body).RootElement.GetProperty("id").GetInt64();
        JsonElement answer = default;
        await EventuallyAsync(async () =>
        {
            answer = JsonDocument.Parse(await companion.Http.GetStringAsync($"/api/devices/{device}/calibration")).RootElement;
            return answer.GetProperty("report").ValueKind == JsonValueKind.Object;
        }, $"{device} did not answer the calibration check within 15 s", seconds: 15);
        Assert.Equal(command, answer.GetProperty("commandId").GetInt64());
        return answer.GetProperty("report");
    }

    /// <summary>A unit playing <paramref name="wav"/> in a loop at 4x, online before it is asked anything (commands are not retained).</summary>
    private async Task<RunningUnit> StartAsync(CompanionProcess companion, string id, string wav)
    {
        var unit = Unit(id, await RegisterAsync(companion.Http, id), companion.MqttPort, _dir, PcmSource.Files(new[] { wav }, loop: true), speed: 4);
        var running = RunningUnit.Start(unit);
        await EventuallyAsync(async () => unit.Connected && (await DeviceAsync(companion.Http, id)).GetProperty("online").GetBoolean(), $"{id} did not come online");
        return running;
    }

    private string CleanConversation()
    {
        string dir = Path.Combine(_dir, "corpus");
        CorpusGenerator.Generate(dir, 1, 11, Knobs.Clean, null);
        return Directory.GetFiles(dir, "*.wav").Single();
    }

    private string Clip(string conversation, string name, bool customer)
    {
        using var wav = WavReader.Open(conversation);
        var samples = new short[wav.SampleRate * 20 * 2];
        Assert.Equal(samples.Length, wav.Read(samples));
        for (int i = 1; !customer && i < samples.Length; i += 2)
        {
            samples[i] = 0;
        }

        string path = Path.Combine(_dir, name);
        CorpusWriter.WriteWav(path, samples, wav.SampleRate);
        return path;
    }
}
