namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// A parsed flat JSON object: string keys mapping to integers, strings, booleans or null.
    /// Every Kuulo payload is flat, so nested objects and arrays are rejected rather than skipped.
    /// </summary>
    public sealed class JsonObject
    {
        internal const int KindNull = 0;
        internal const int KindNumber = 1;
        internal const int KindString = 2;
        internal const int KindBool = 3;

        private readonly string[] _keys;
        private readonly int[] _kinds;
        private readonly long[] _numbers;
        private readonly string[] _strings;
        private int _count;

        internal JsonObject(int capacity)
        {
            _keys = new string[capacity];
            _kinds = new int[capacity];
            _numbers = new long[capacity];
            _strings = new string[capacity];
        }

        public int Count { get { return _count; } }

        public string KeyAt(int index)
        {
            return _keys[index];
        }

        public bool Has(string key)
        {
            return IndexOf(key) >= 0;
        }

        public bool IsNumberAt(int index)
        {
            return _kinds[index] == KindNumber;
        }

        public long NumberAt(int index)
        {
            return _numbers[index];
        }

        /// <summary>The integer under <paramref name="key"/>; false when missing or not a number.</summary>
        public bool TryGetNumber(string key, out long value)
        {
            int i = IndexOf(key);
            if (i >= 0 && _kinds[i] == KindNumber)
            {
                value = _numbers[i];
                return true;
            }

            value = 0;
            return false;
        }

        public bool TryGetString(string key, out string value)
        {
            int i = IndexOf(key);
            if (i >= 0 && _kinds[i] == KindString)
            {
                value = _strings[i];
                return true;
            }

            value = null;
            return false;
        }

        public bool TryGetBool(string key, out bool value)
        {
            int i = IndexOf(key);
            if (i >= 0 && _kinds[i] == KindBool)
            {
                value = _numbers[i] != 0;
                return true;
            }

            value = false;
            return false;
        }

        internal bool IsFull { get { return _count == _keys.Length; } }

        internal void Add(string key, int kind, long number, string text)
        {
            _keys[_count] = key;
            _kinds[_count] = kind;
            _numbers[_count] = number;
            _strings[_count] = text;
            _count++;
        }

        internal int IndexOf(string key)
        {
            for (int i = 0; i < _count; i++)
            {
                if (_keys[i] == key)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
