using System.Net;
using System.Text;
using System.Text.Json;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

/// <summary>Issue 10: bulk registration from a CSV and the inventory's counts, filters and sort.</summary>
public sealed class FleetInventoryTests(EmbeddedCompanionFixture fixture) : IClassFixture<EmbeddedCompanionFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task ACsvRegistersEveryDeskAndAnswersWithCredentialsAndSettingsOnce()
    {
        var csv = "id,site,team,desk,agent\r\nbulk-1,Oulu,bulk,D1,Aino\r\n\"bulk-2\",Oulu,bulk,\"D2, window\",Eero\r\nbulk-3,Oulu,bulk,D3,Ilona\r\n";
        var response = await Companion.Http.PostAsync("/api/devices/bulk", new StringContent(csv, Encoding.UTF8, "text/csv"));
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.True(response.IsSuccessStatusCode, body.ToString());

        var lines = body.GetProperty("credentials").GetString()!.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("id,password", lines[0]);
        Assert.Equal(new[] { "bulk-1", "bulk-2", "bulk-3" }, lines[1..].Select(l => l.Split(',')[0]));
        var settings = body.GetProperty("devices")[1].GetProperty("settings");
        Assert.Equal("bulk-2", settings.GetProperty("device_id").GetString());
        Assert.Equal(lines[2].Split(',')[1], settings.GetProperty("device_password").GetString());
        Assert.Equal("", settings.GetProperty("wifi_ssid").GetString());
        Assert.Equal("", settings.GetProperty("wifi_password").GetString());
        Assert.Equal("D2, window", (await Api.GetAsync(Companion.Http, "/api/devices/bulk-2")).GetProperty("device").GetProperty("desk").GetString());

        // The credentials work, and the password is nowhere to be fetched again.
        await using (var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, "bulk-2", lines[2].Split(',')[1]))
        {
            Assert.True(desk.IsConnected);
        }

        var later = await Api.GetAsync(Companion.Http, "/api/devices/bulk-2/settings.json");
        Assert.Equal("", later.GetProperty("device_password").GetString());
        Assert.DoesNotContain(lines[2].Split(',')[1], (await Companion.Http.GetStringAsync("/api/devices?format=csv")));

        // Accept: text/csv gives the credentials file itself.
        var asCsv = new HttpRequestMessage(HttpMethod.Post, "/api/devices/bulk") { Content = new StringContent("id,site,team,desk,agent\nbulk-4,Oulu,bulk,D4,Aada\n", Encoding.UTF8, "text/csv") };
        asCsv.Headers.Accept.ParseAdd("text/csv");
        var file = await Companion.Http.SendAsync(asCsv);
        Assert.Equal("text/csv", file.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("id,password\r\nbulk-4,", await file.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task AFileWithABadLineRegistersNothingAndNamesEveryBadLine()
    {
        await Api.RegisterAsync(Companion.Http, "badcsv-taken");
        var csv = "agent,desk,team,site,id\nA,D1,t,s,badcsv-1\nA,D2,t,s,Bad Id\nA,D3,t,s,badcsv-1\nA,D4,t,s,badcsv-taken\nA,D5,t\nA,,t,s,badcsv-5\n";
        var response = await Companion.Http.PostAsync("/api/devices/bulk", new StringContent(csv, Encoding.UTF8, "text/csv"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Contains("line 6: 3 fields, the header has 5", errors);
        Assert.Contains("line 3: device id 'Bad Id' must be 1-64 characters of a-z, 0-9, '-' and '_'", errors);
        Assert.Contains("line 4: device 'badcsv-1' appears twice in the file", errors);
        Assert.Contains("line 5: device 'badcsv-taken' is already registered", errors);
        Assert.Contains("line 7: 'desk' is required", errors);
        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.GetAsync("/api/devices/badcsv-1")).StatusCode);

        var noHeader = await Companion.Http.PostAsync("/api/devices/bulk", new StringContent("badcsv-9,s,t,d,a\n", Encoding.UTF8, "text/csv"));
        Assert.Contains("the header must name the columns id, site, team, desk, agent", await noHeader.Content.ReadAsStringAsync());

        // A file asking for more desks than one request may register is refused, not half done.
        var many = new StringBuilder("id,site,team,desk,agent\n");
        for (int i = 0; i <= 2000; i++)
        {
            many.Append($"m{i},s,t,d,a\n");
        }

        var tooMany = await Companion.Http.PostAsync("/api/devices/bulk", new StringContent(many.ToString(), Encoding.UTF8, "text/csv"));
        Assert.Contains("line 2002: at most 2000 desks per file", await tooMany.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Companion.Http.GetAsync("/api/devices/m0")).StatusCode);
    }

    [Fact]
    public async Task TheInventoryCountsFiltersAndSortsWhatDesksReport()
    {
        var health = new[] { ("inv-a", -50, 200_000, 0, 0, true), ("inv-b", -82, 200_000, 4, 0, false), ("inv-c", -60, 9_000, 0, 2, false) };
        foreach (var (id, rssi, heap, queued, dropped, inCall) in health)
        {
            string password = await Api.RegisterAsync(Companion.Http, id, team: id == "inv-c" ? "inv-green" : "inv-red", site: "inv-site");
            await using var desk = await DeviceClient.ConnectAsync(Companion.MqttPort, id, password);
            var status = new StatusMessage
            {
                Online = true, UnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), Firmware = id == "inv-a" ? "1.1.0" : "1.0.0", Rssi = rssi,
                FreeHeapBytes = heap, UptimeSeconds = 3600, Queued = queued, Dropped = dropped, InCall = inCall,
            };
            await desk.PublishAsync(Topics.Status, status.ToJson(), retain: true);
        }

        await Api.RegisterAsync(Companion.Http, "inv-d", team: "inv-red", site: "inv-site");
        JsonElement all;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        do
        {
            all = await Api.GetAsync(Companion.Http, "/api/fleet/inventory?site=inv-site");
            await Task.Delay(100);
        }
        while (all.GetProperty("counts").GetProperty("online").GetInt32() < 3 && DateTime.UtcNow < deadline);

        var counts = all.GetProperty("counts");
        Assert.Equal(4, counts.GetProperty("total").GetInt32());
        Assert.Equal(3, counts.GetProperty("online").GetInt32());
        Assert.Equal(1, counts.GetProperty("offline").GetInt32());
        Assert.Equal(1, counts.GetProperty("inCall").GetInt32());
        Assert.Equal(1, counts.GetProperty("backlog").GetInt32());
        Assert.Equal(1, counts.GetProperty("dropped").GetInt32());
        Assert.Equal(1, counts.GetProperty("weakWifi").GetInt32());
        Assert.Equal(1, counts.GetProperty("lowHeap").GetInt32());
        Assert.Contains(all.GetProperty("firmware").EnumerateArray(), f => f.GetProperty("version").GetString() == "1.0.0" && f.GetProperty("devices").GetInt32() == 2);

        async Task<string[]> Ids(string query) => (await Api.GetAsync(Companion.Http, "/api/fleet/inventory?site=inv-site&" + query))
            .GetProperty("devices").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToArray();
        Assert.Equal(new[] { "inv-b" }, await Ids("status=weak_wifi"));
        Assert.Equal(new[] { "inv-c" }, await Ids("status=low_heap"));
        Assert.Equal(new[] { "inv-d" }, await Ids("status=offline"));
        Assert.Equal(new[] { "inv-c" }, await Ids("team=inv-green"));
        Assert.Equal(new[] { "inv-b", "inv-c", "inv-a", "inv-d" }, await Ids("sort=rssi"));
        Assert.Equal(new[] { "inv-a", "inv-b", "inv-c" }, await Ids("sort=heap&order=desc&status=online"));
        Assert.Equal(new[] { "inv-a" }, await Ids("q=1.1"));

        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.GetAsync("/api/fleet/inventory?status=asleep")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.GetAsync("/api/fleet/inventory?sort=password_hash")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Companion.Http.GetAsync("/api/fleet/inventory?x=1")).StatusCode);
    }
}
