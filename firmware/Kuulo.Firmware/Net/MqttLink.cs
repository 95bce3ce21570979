using System;
using System.Diagnostics;
using System.Text;
using System.Threading;
using Kuulo.Core.Protocol;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace Kuulo.Firmware.Net
{
    /// <summary>
    /// The unit's MQTT session (nanoFramework.M2Mqtt): per-device credentials, TLS when configured, the offline last
    /// will, QoS 1 publishes confirmed by PUBACK, and reconnection with back-off.
    /// </summary>
    public sealed class MqttLink
    {
        private const int PubackTimeoutMs = 10000;
        private readonly DeviceSettings _settings;
        private readonly AutoResetEvent _acked = new AutoResetEvent(false);
        private MqttClient _client;
        private ushort _waitingFor;
        private bool _ackOk;
        private int _backoffMs = 1000;
        private long _nextAttemptMs;

        public MqttLink(DeviceSettings settings)
        {
            _settings = settings;
        }

        /// <summary>Raised for messages on the unit's config/desired and cmd topics: (leaf, payload).</summary>
        public event MessageHandler MessageReceived;

        public delegate void MessageHandler(string leaf, string payload);

        public bool IsConnected { get { return _client != null && _client.IsConnected; } }

        /// <summary>Connects if not connected and the back-off allows; true when connected.</summary>
        public bool EnsureConnected(long nowMs)
        {
            if (IsConnected)
            {
                return true;
            }

            if (nowMs < _nextAttemptMs)
            {
                return false;
            }

            try
            {
                _client = new MqttClient(_settings.BrokerHost, _settings.BrokerPort, _settings.Tls, null, null,
                    _settings.Tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                _client.ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
                _client.MqttMsgPublished += OnPublished;
                _client.MqttMsgPublishReceived += OnReceived;
                MqttReasonCode code = _client.Connect(_settings.DeviceId, _settings.DeviceId, _settings.DevicePassword,
                    true, MqttQoSLevel.AtLeastOnce, true, Topics.For(_settings.DeviceId, Topics.Status), StatusMessage.OfflineJson(),
                    true, 30);
                if (code != MqttReasonCode.Success)
                {
                    throw new Exception("broker refused the connection: " + ConnackText((int)code));
                }

                _client.Subscribe(
                    new string[] { Topics.For(_settings.DeviceId, Topics.ConfigDesired), Topics.For(_settings.DeviceId, Topics.Command) },
                    new MqttQoSLevel[] { MqttQoSLevel.AtLeastOnce, MqttQoSLevel.AtLeastOnce });
                _backoffMs = 1000;
                return true;
            }
            catch (Exception e)
            {
                Debug.WriteLine(e.Message);
                _nextAttemptMs = nowMs + _backoffMs;
                _backoffMs = _backoffMs >= 60000 ? 60000 : _backoffMs * 2;
                return false;
            }
        }

        /// <summary>Publishes at QoS 1 and waits for the PUBACK; false when it did not come.</summary>
        public bool PublishAndWait(string leaf, string payload, bool retain)
        {
            _ackOk = false;
            _waitingFor = _client.Publish(Topics.For(_settings.DeviceId, leaf), Encoding.UTF8.GetBytes(payload), null, null,
                MqttQoSLevel.AtLeastOnce, retain);
            return _acked.WaitOne(PubackTimeoutMs, false) && _ackOk;
        }

        /// <summary>
        /// The MQTT 3.1.1 CONNACK return code in words. Not <c>code.ToString()</c>: nanoFramework prints an enum as its
        /// number, and M2Mqtt casts the 3.1.1 code into its MQTT 5 <see cref="MqttReasonCode"/>, whose names for
        /// 1-5 (GrantedQoS1, ...) would mislead anyway.
        /// </summary>
        private static string ConnackText(int code)
        {
            switch (code)
            {
                case 1: return "unacceptable protocol version (1)";
                case 2: return "client identifier rejected (2)";
                case 3: return "server unavailable (3)";
                case 4: return "bad user name or password (4)";
                case 5: return "not authorized (5)";
                default: return "return code " + code.ToString();
            }
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            if (e.MessageId == _waitingFor)
            {
                _ackOk = e.IsPublished;
                _acked.Set();
            }
        }

        private void OnReceived(object sender, MqttMsgPublishEventArgs e)
        {
            string prefix = Topics.Root + _settings.DeviceId + "/";
            if (MessageReceived != null && e.Topic.StartsWith(prefix))
            {
                MessageReceived(e.Topic.Substring(prefix.Length), Encoding.UTF8.GetString(e.Message, 0, e.Message.Length));
            }
        }
    }
}
