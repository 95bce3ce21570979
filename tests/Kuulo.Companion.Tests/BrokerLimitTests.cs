using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Kuulo.Core.Protocol;
using Kuulo.TestSupport;

namespace Kuulo.Companion.Tests;

public sealed class LimitedBrokerFixture() : CompanionFixture(new()
{
    ["Broker:ConnectTimeout"] = "00:00:02",
    ["Broker:MaxConnectionsPerAddress"] = MaxConnectionsPerAddress.ToString(),
})
{
    public const int MaxConnectionsPerAddress = 6;
}

/// <summary>Issue 9, item 3: unauthenticated clients must not be able to make the embedded broker hold memory or sockets.</summary>
public sealed class BrokerLimitTests(LimitedBrokerFixture fixture) : IClassFixture<LimitedBrokerFixture>
{
    private CompanionProcess Companion => fixture.Companion;

    [Fact]
    public async Task ConnectsDeclaring200MegabytesAreClosedAndMemoryStaysFlat()
    {
        long before = ResidentBytes(Companion.ProcessId);
        long peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, ResidentBytes(Companion.ProcessId));
                await Task.Delay(20);
            }
        });

        // Four clients each declare a 200 MiB CONNECT and try to send 48 MiB of it.
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Companion.MqttPort);
            var stream = client.GetStream();
            long sent = 0;
            try
            {
                await stream.WriteAsync(new byte[] { 0x10, 0x80, 0x80, 0x80, 0x64 }); // CONNECT, remaining length 100 * 128^3
                var chunk = new byte[64 * 1024];
                while (sent < 48L << 20)
                {
                    await stream.WriteAsync(chunk);
                    sent += chunk.Length;
                }
            }
            catch (IOException)
            {
                return (Closed: true, Sent: sent);
            }

            return (Closed: await ClosedByServerAsync(client, TimeSpan.FromSeconds(5)), Sent: sent);
        })));
        sampling.Cancel();
        await sampler;

        Assert.All(outcomes, o => Assert.True(o.Closed, $"the broker kept a connection open after {o.Sent >> 20} MiB of a 200 MiB CONNECT"));
        long grownMiB = (peak - before) >> 20;
        Assert.True(grownMiB < 40, $"the broker's resident memory grew by {grownMiB} MiB (from {before >> 20} MiB)");
        Assert.Contains("more than the 8192 allowed", Companion.Output);

        // Devices still get in.
        string password = await Api.RegisterAsync(Companion.Http, "after-flood");
        await using var device = await DeviceClient.ConnectAsync(Companion.MqttPort, "after-flood", password);
        Assert.Equal(MQTTnet.MqttClientPublishReasonCode.Success, await device.PublishAsync(Topics.Call, DeviceClient.Call(1)));
    }

    [Fact]
    public async Task AnIdleUnauthenticatedSocketIsClosedAfterTheConnectTimeout()
    {
        // Sockets of the class's other tests may still count against this address until the broker has seen them
        // close; a socket refused by that limit would be closed at once, which is not what this test is about.
        await UntilTheAddressHasRoomAsync();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Companion.MqttPort);
        var clock = Stopwatch.StartNew();
        Assert.True(await ClosedByServerAsync(client, TimeSpan.FromSeconds(10)), "an idle socket was still open after 10 s");
        Assert.InRange(clock.Elapsed.TotalSeconds, 1, 8);
    }

    [Fact]
    public async Task OneAddressCannotHoldMoreThanItsShareOfConnections()
    {
        var held = new List<TcpClient>();
        try
        {
            for (int i = 0; i < LimitedBrokerFixture.MaxConnectionsPerAddress; i++)
            {
                var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, Companion.MqttPort);
                held.Add(client);
            }

            using var extra = new TcpClient();
            await extra.ConnectAsync(IPAddress.Loopback, Companion.MqttPort);
            var clock = Stopwatch.StartNew();
            Assert.True(await ClosedByServerAsync(extra, TimeSpan.FromSeconds(1.5)), "a connection over the per-address limit was kept open");
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1.6));
            Assert.False(held[0].Client.Poll(0, SelectMode.SelectRead), "the held connections should still be open");
        }
        finally
        {
            held.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Waits until a new connection from loopback is no longer closed at once by the per-address limit.</summary>
    private async Task UntilTheAddressHasRoomAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, Companion.MqttPort);
            if (!await ClosedByServerAsync(probe, TimeSpan.FromMilliseconds(300)))
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, "loopback connections were still refused by the per-address limit after 10 s");
            await Task.Delay(100);
        }
    }

    /// <summary>True when the server closes the connection (end of stream or reset) within the time.</summary>
    private static async Task<bool> ClosedByServerAsync(TcpClient client, TimeSpan within)
    {
        using var timeout = new CancellationTokenSource(within);
        try
        {
            var buffer = new byte[256];
            while (await client.GetStream().ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
        catch (IOException)
        {
            return true;
        }
    }

    private static long ResidentBytes(int pid) =>
        1024 * long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmRSS:"))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
