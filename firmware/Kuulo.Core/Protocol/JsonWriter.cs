namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Writes one flat JSON object. Numbers are integers only: the device never formats floats,
    /// so the output is the same under every culture and on every runtime.
    /// </summary>
    public sealed class JsonWriter
    {
        private char[] _buffer;
        private int _length;
        private bool _needsComma;

        public JsonWriter(int capacity)
        {
            _buffer = new char[capacity];
            BeginObject();
        }

        public JsonWriter() : this(256)
        {
        }

        public JsonWriter Add(string name, long value)
        {
            Key(name);
            AppendRaw(value.ToString());
            return this;
        }

        public JsonWriter Add(string name, int value)
        {
            Key(name);
            AppendRaw(value.ToString());
            return this;
        }

        public JsonWriter Add(string name, bool value)
        {
            Key(name);
            AppendRaw(value ? "true" : "false");
            return this;
        }

        public JsonWriter Add(string name, string value)
        {
            Key(name);
            if (value == null)
            {
                AppendRaw("null");
            }
            else
            {
                AppendString(value);
            }

            return this;
        }

        /// <summary>Closes the object and returns the text.</summary>
        public string Finish()
        {
            Append('}');
            return new string(_buffer, 0, _length);
        }

        private void BeginObject()
        {
            Append('{');
            _needsComma = false;
        }

        private void Key(string name)
        {
            if (_needsComma)
            {
                Append(',');
            }

            _needsComma = true;
            AppendString(name);
            Append(':');
        }

        private void AppendString(string value)
        {
            Append('"');
            for (int i = 0; i < value.Length; i++)
            {
                char c = value[i];
                if (c == '"' || c == '\\')
                {
                    Append('\\');
                    Append(c);
                }
                else if (c == '\n')
                {
                    Append('\\');
                    Append('n');
                }
                else if (c < ' ')
                {
                    // Other control characters have no business in these payloads; keep the JSON valid.
                    Append(' ');
                }
                else
                {
                    Append(c);
                }
            }

            Append('"');
        }

        private void AppendRaw(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                Append(text[i]);
            }
        }

        private void Append(char c)
        {
            if (_length == _buffer.Length)
            {
                char[] bigger = new char[_buffer.Length * 2];
                System.Array.Copy(_buffer, bigger, _length);
                _buffer = bigger;
            }

            _buffer[_length++] = c;
        }
    }
}
