using System.Net;
using System.Net.Sockets;
using Kuulo.Companion.Options;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace Kuulo.Companion.Broker;

/// <summary>
/// The embedded broker's TCP listener, in place of MQTTnet's own, with the limits MQTTnet does not have: at most
/// <see cref="BrokerOptions.MaxConnectionsPerAddress"/> open connections per remote address, and no packet
/// larger than <see cref="BrokerOptions.MaxPacketBytes"/> (see <see cref="PacketSizeGuard"/>). The connect
/// timeout is MQTTnet's: the server options' communication timeout bounds the wait for the CONNECT packet.
/// </summary>
internal sealed class GuardedTcpAdapter(BrokerOptions options, ILogger log) : IMqttServerAdapter
{
    private readonly Dictionary<IPAddress, int> _perAddress = new();
    private readonly CancellationTokenSource _stop = new();
    private TcpListener? _listener;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions serverOptions, IMqttNetLogger logger)
    {
        _listener = new TcpListener(IPAddress.Parse(options.Host), options.Port);
        _listener.Start();
        _ = AcceptAsync(serverOptions, logger);
        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stop.Cancel();
        _listener?.Stop();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener?.Dispose();
    }

    private async Task AcceptAsync(MqttServerOptions serverOptions, IMqttNetLogger logger)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptSocketAsync(_stop.Token);
            }
            catch (Exception) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException ex)
            {
                log.LogWarning("Accepting an MQTT connection failed: {Error}", ex.Message);
                continue;
            }

            // Counted here, in accept order, so the connection over the limit is the one refused.
            var remote = (IPEndPoint)socket.RemoteEndPoint!;
            if (!Admit(remote.Address))
            {
                log.LogWarning("Refused MQTT connection from {Endpoint}: more than {Limit} open from that address", remote, options.MaxConnectionsPerAddress);
                socket.Dispose();
                continue;
            }

            _ = Task.Run(() => ServeAsync(socket, remote, serverOptions, logger));
        }
    }

    private async Task ServeAsync(Socket socket, IPEndPoint remote, MqttServerOptions serverOptions, IMqttNetLogger logger)
    {
        try
        {
            socket.NoDelay = true;
            await using var stream = new PacketSizeGuard(new NetworkStream(socket, ownsSocket: true), options.MaxPacketBytes,
                reason => log.LogWarning("Closing MQTT connection from {Endpoint}: {Reason}", remote, reason));
            var channel = new MqttTcpChannel(stream, socket.LocalEndPoint, remote, null);
            var formatter = new MqttPacketFormatterAdapter(new MqttBufferWriter(serverOptions.WriterBufferSize, serverOptions.WriterBufferSizeMax));
            using var adapter = new MqttChannelAdapter(channel, formatter, logger);
            await ClientHandler!(adapter);
        }
        catch (Exception ex)
        {
            log.LogWarning("MQTT connection from {Endpoint} closed: {Error}", remote, ex.Message);
        }
        finally
        {
            Release(remote.Address);
        }
    }

    private bool Admit(IPAddress address)
    {
        lock (_perAddress)
        {
            int open = _perAddress.GetValueOrDefault(address);
            if (open >= options.MaxConnectionsPerAddress)
            {
                return false;
            }

            _perAddress[address] = open + 1;
            return true;
        }
    }

    private void Release(IPAddress address)
    {
        lock (_perAddress)
        {
            if (--_perAddress[address] == 0)
            {
                _perAddress.Remove(address);
            }
        }
    }
}
