using System.IO;
using Kuulo.Core.Protocol;

namespace Kuulo.Firmware.Storage
{
    /// <summary>
    /// The offline queue in flash, with the host unit's semantics (firmware/Kuulo.Desk/Unit/Outbox.cs): one file per
    /// message named by its sequence number, the next number persisted before a message is written (never reused),
    /// oldest dropped and counted when <see cref="Capacity"/> is reached, removed only after the broker's PUBACK.
    /// The message files are the truth: what is on flash is queued, deleting a file is what acknowledges it, so a
    /// power cut at any point neither loses a stored message nor sends an acknowledged one again.
    /// </summary>
    public sealed class FlashQueue
    {
        public const int Capacity = 200;
        private const string Suffix = ".msg";
        private readonly string _dir = Flash.Path("queue");
        private long _nextSeq;
        private long _oldestSeq;

        public FlashQueue()
        {
            if (!Directory.Exists(_dir))
            {
                Directory.CreateDirectory(_dir);
            }

            _nextSeq = Flash.ReadNumber(Flash.Path("next"), 1);
            Dropped = (int)Flash.ReadNumber(Flash.Path("dropped"), 0);
            CallsStarted = (int)Flash.ReadNumber(Flash.Path("calls"), 0);
            Recover();
        }

        public int Count { get { return (int)(_nextSeq - _oldestSeq); } }

        /// <summary>Messages dropped because the queue was full or their file was unreadable.</summary>
        public int Dropped { get; private set; }

        public int CallsStarted { get; private set; }

        public int CountCall()
        {
            CallsStarted++;
            Flash.WriteNumber(Flash.Path("calls"), CallsStarted);
            return CallsStarted;
        }

        /// <summary>Takes the next sequence number (persisting it first) and stores the message under it.</summary>
        public long Enqueue(string leaf, CallSummary call, AlertMessage alert)
        {
            long seq = _nextSeq++;
            Flash.WriteNumber(Flash.Path("next"), _nextSeq);
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
                RemoveOldest();
                CountDropped();
            }

            return seq;
        }

        /// <summary>
        /// The oldest message as "leaf\npayload", or null; <paramref name="seq"/> says which. A message that is not a
        /// whole call or alert (cut short, garbled) is dropped and counted rather than sent.
        /// </summary>
        public string Peek(out long seq)
        {
            while (_oldestSeq < _nextSeq)
            {
                seq = _oldestSeq;
                string path = MessagePath(seq);
                if (File.Exists(path))
                {
                    string text = Flash.ReadText(path);
                    if (IsWhole(text))
                    {
                        return text;
                    }

                    File.Delete(path);
                    CountDropped();
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
            string path = MessagePath(_oldestSeq);
            if (File.Exists(path))
            {
                File.Delete(path);
            }

            _oldestSeq++;
        }

        /// <summary>Finds the oldest and newest message on flash; removes what a cut write left behind.</summary>
        private void Recover()
        {
            long oldest = long.MaxValue;
            long newest = 0;
            string[] files = Directory.GetFiles(_dir);
            for (int i = 0; i < files.Length; i++)
            {
                string name = files[i].Substring(files[i].LastIndexOf('\\') + 1);
                long seq;
                if (name.Length > Suffix.Length && name.Substring(name.Length - Suffix.Length) == Suffix
                    && long.TryParse(name.Substring(0, name.Length - Suffix.Length), out seq) && seq > 0)
                {
                    oldest = seq < oldest ? seq : oldest;
                    newest = seq > newest ? seq : newest;
                }
                else
                {
                    // A message whose write was cut (its Enqueue never returned), or something that is no message.
                    File.Delete(files[i]);
                }
            }

            // Never reuse a number the broker may have seen, even if the counter was lost.
            _nextSeq = newest >= _nextSeq ? newest + 1 : _nextSeq;
            _oldestSeq = oldest == long.MaxValue ? _nextSeq : oldest;
        }

        private void CountDropped()
        {
            Dropped++;
            Flash.WriteNumber(Flash.Path("dropped"), Dropped);
        }

        private static bool IsWhole(string text)
        {
            int newline = text == null ? -1 : text.IndexOf('\n');
            if (newline < 0)
            {
                return false;
            }

            string leaf = text.Substring(0, newline);
            string error;
            return (leaf == Topics.Call || leaf == Topics.Alert) && JsonReader.Parse(text.Substring(newline + 1), out error) != null;
        }

        private string MessagePath(long seq)
        {
            return _dir + "\\" + seq.ToString() + Suffix;
        }
    }
}
