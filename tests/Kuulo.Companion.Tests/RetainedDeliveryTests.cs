using System.Net.Http.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>
/// A desk that subscribes while the companion changes one of its retained messages (a configuration, a firmware
/// offer) must still get the new one. MQTTnet's broker takes its snapshot of retained messages before it adds a new
/// subscription, so a message published in between reached the desk neither way (before the broker redelivered;
/// without that, this test missed a few of its 120 changes in nearly every run).
/// </summary>
public sealed class RetainedDeliveryTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task AConfigurationChangedWhileTheDeskSubscribesStillReachesIt()
    {
        const int Rounds = 120;
        string id = "retained-1";
        string password = await Api.RegisterAsync(Companion.Http, id);
        var missed = new List<string>();
        for (int version = 1; version <= Rounds; version++)
        {
            await using var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, id, password);
            // The change goes out and the desk subscribes (deliberately slowly) at a spread of moments after it,
            // so that some changes land while the broker is still working through the SUBSCRIBE.
            int expected = version;
            var change = Companion.Http.PutAsJsonAsync($"/api/devices/{id}/config", new Dictionary<string, int> { ["dead_air_first_ms"] = 5000 + expected });
            await Task.Delay(version % 8);
            try
            {
                await desk.ReceiveAsync(Topics.ConfigDesired, json => ConfigMessage.Parse(json, out _)?.Version == expected,
                    TimeSpan.FromSeconds(3), refusedFilters: 300);
            }
            catch (TimeoutException)
            {
                missed.Add($"v{expected}");
            }

            var response = await change;
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        }

        Assert.True(missed.Count == 0, $"configurations changed while the desk subscribed never reached it: {string.Join(", ", missed)}");
    }
}
