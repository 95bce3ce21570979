using System.IO;
using Kuulo.Core.Protocol;

namespace Kuulo.Firmware.Storage
{
    /// <summary>
    /// The offline queue in flash, with the host unit's semantics (firmware/Kuulo.Desk/Unit/Outbox.cs): one file per
    /// message named by its sequence number, the next number persisted before a message is written (never reused),
    /// oldest dropped and counted when <see cref="Capacity"/> is reached, removed only after the broker's PUBACK.
    /// </summary>
    public sealed class FlashQueue
    {
        public const int Capacity = 200;
        private readonly string _dir = Flash.Path("queue");
        private long _nextSeq;
        private long _oldestSeq;

        public FlashQueue()
        {
            if (!Directory.Exists(_dir))
            {
                Directory.CreateDirectory(_dir);
            }

            _nextSeq = ReadNumber("next", 1);
            _oldestSeq = ReadNumber("oldest", 1);
            Dropped = (int)ReadNumber("dropped", 0);
            CallsStarted = (int)ReadNumber("calls", 0);
        }

        public int Count { get { return (int)(_nextSeq - _oldestSeq); } }

        public int Dropped { get; private set; }

        public int CallsStarted { get; private set; }

        public int CountCall()
        {
            CallsStarted++;
            Flash.WriteText(Flash.Path("calls"), CallsStarted.ToString());
            return CallsStarted;
        }

        /// <summary>Takes the next sequence number (persisting it first) and stores the message under it.</summary>
        public long Enqueue(string leaf, CallSummary call, AlertMessage alert)
        {
            long seq = _nextSeq++;
            Flash.WriteText(Flash.Path("next"), _nextSeq.ToString());
            string payload;
            if (call != null)
            {
                call.Seq = seq;
                payload = call.ToJson();
            }
            else
            {
                alert.Seq = seq;
                payload = alert.ToJson();
            }

            Flash.WriteText(MessagePath(seq), leaf + "\n" + payload);
            while (Count > Capacity)
            {
                DeleteOldest();
                Dropped++;
                Flash.WriteText(Flash.Path("dropped"), Dropped.ToString());
            }

            return seq;
        }

        /// <summary>The oldest message as "leaf\npayload", or null; <paramref name="seq"/> says which.</summary>
        public string Peek(out long seq)
        {
            while (_oldestSeq < _nextSeq)
            {
                seq = _oldestSeq;
                string text = Flash.ReadText(MessagePath(seq));
                if (text != null)
                {
                    return text;
                }

                // A crash between numbering and writing left a hole: skip it.
                _oldestSeq++;
            }

            seq = 0;
            return null;
        }

        /// <summary>The broker acknowledged the oldest message.</summary>
        public void RemoveOldest()
        {
            DeleteOldest();
        }

        private void DeleteOldest()
        {
            string path = MessagePath(_oldestSeq);
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            _oldestSeq++;
            Flash.WriteText(Flash.Path("oldest"), _oldestSeq.ToString());
        }

        private string MessagePath(long seq)
        {
            return _dir + "\\" + seq.ToString() + ".msg";
        }

        private static long ReadNumber(string name, long fallback)
        {
            string text = Flash.ReadText(Flash.Path(name));
            return text == null ? fallback : long.Parse(text);
        }
    }
}
