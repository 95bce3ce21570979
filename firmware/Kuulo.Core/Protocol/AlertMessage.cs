using Kuulo.Core.Turns;

namespace Kuulo.Core.Protocol
{
    /// <summary>An alert the desk showed, published on <see cref="Topics.Alert"/> for the live floor view.</summary>
    public sealed class AlertMessage
    {
        public const int Version = 1;

        private static readonly string[] Keys = new string[] { "v", "seq", "call", "ts", "at_ms", "type", "stage" };

        public long Seq;
        public int CallNumber;
        /// <summary>Unix time in ms when the alert was raised, or 0 without a clock.</summary>
        public long UnixMs;
        /// <summary>Offset of the alert from the call start.</summary>
        public int AtMs;
        /// <summary>One of the alerting <see cref="EventType"/> values.</summary>
        public int Type;
        /// <summary>1 for a first alert; 2 for dead air's second stage.</summary>
        public int Stage;

        public string ToJson()
        {
            return new JsonWriter(128)
                .Add("v", Version).Add("seq", Seq).Add("call", CallNumber).Add("ts", UnixMs).Add("at_ms", AtMs)
                .Add("type", EventType.Name(Type)).Add("stage", Stage)
                .Finish();
        }

        public static AlertMessage Parse(string json, out string error)
        {
            PayloadReader r = PayloadReader.Open(json, Version);
            r.OnlyKeys(Keys);
            AlertMessage m = new AlertMessage();
            m.Seq = r.Long("seq", 1, CallSummary.MaxSeq);
            m.CallNumber = r.Int("call", 1, int.MaxValue);
            m.UnixMs = r.Long("ts", 0, 253402300799000L);
            m.AtMs = r.Int("at_ms", 0, int.MaxValue);
            string type = r.Text("type", 32);
            m.Type = r.Ok ? EventType.Parse(type) : EventType.None;
            r.Check(EventType.IsAlert(m.Type), "'type' must be interruption, dead_air or monologue (got '" + type + "')");
            m.Stage = r.Int("stage", 1, 2);
            error = r.Error;
            return r.Ok ? m : null;
        }
    }
}
