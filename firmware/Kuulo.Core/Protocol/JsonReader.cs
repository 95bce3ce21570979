namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Parses the flat JSON objects of the Kuulo protocol. Strict on purpose: anything that is not
    /// one flat object of integers, strings, booleans and nulls is rejected with the reason and the
    /// character position, so a bad payload can be reported instead of half-read.
    /// </summary>
    public sealed class JsonReader
    {
        /// <summary>More keys than any Kuulo payload has; a payload with more is rejected.</summary>
        public const int MaxKeys = 64;

        private readonly string _text;
        private int _pos;
        private string _error;

        private JsonReader(string text)
        {
            _text = text;
        }

        /// <summary>The parsed object, or null with <paramref name="error"/> saying what is wrong and where.</summary>
        public static JsonObject Parse(string text, out string error)
        {
            if (text == null)
            {
                error = "payload is empty";
                return null;
            }

            JsonReader reader = new JsonReader(text);
            JsonObject result = reader.ParseObject();
            error = reader._error;
            return error == null ? result : null;
        }

        private JsonObject ParseObject()
        {
            SkipSpace();
            if (!Expect('{'))
            {
                return null;
            }

            JsonObject obj = new JsonObject(MaxKeys);
            SkipSpace();
            if (Peek() == '}')
            {
                _pos++;
                return AtEnd() ? obj : null;
            }

            while (true)
            {
                SkipSpace();
                int keyPos = _pos;
                string key = ParseString();
                if (key == null)
                {
                    return null;
                }

                if (obj.IndexOf(key) >= 0)
                {
                    return Fail("duplicate key '" + key + "'", keyPos);
                }

                if (obj.IsFull)
                {
                    return Fail("more than " + MaxKeys.ToString() + " keys", keyPos);
                }

                SkipSpace();
                if (!Expect(':'))
                {
                    return null;
                }

                SkipSpace();
                if (!ParseValue(obj, key))
                {
                    return null;
                }

                SkipSpace();
                char c = Peek();
                _pos++;
                if (c == '}')
                {
                    return AtEnd() ? obj : null;
                }

                if (c != ',')
                {
                    return Fail("expected ',' or '}'", _pos - 1);
                }
            }
        }

        private bool ParseValue(JsonObject obj, string key)
        {
            char c = Peek();
            if (c == '"')
            {
                string s = ParseString();
                if (s == null)
                {
                    return false;
                }

                obj.Add(key, JsonObject.KindString, 0, s);
                return true;
            }

            if (c == '-' || (c >= '0' && c <= '9'))
            {
                return ParseNumber(obj, key);
            }

            if (Word("true"))
            {
                obj.Add(key, JsonObject.KindBool, 1, null);
                return true;
            }

            if (Word("false"))
            {
                obj.Add(key, JsonObject.KindBool, 0, null);
                return true;
            }

            if (Word("null"))
            {
                obj.Add(key, JsonObject.KindNull, 0, null);
                return true;
            }

            if (c == '{' || c == '[')
            {
                Fail("value of '" + key + "' is nested; payloads are flat", _pos);
                return false;
            }

            Fail("value of '" + key + "' is not a number, string, true, false or null", _pos);
            return false;
        }

        private bool ParseNumber(JsonObject obj, string key)
        {
            int start = _pos;
            bool negative = false;
            if (Peek() == '-')
            {
                negative = true;
                _pos++;
            }

            long value = 0;
            int digits = 0;
            while (_pos < _text.Length && _text[_pos] >= '0' && _text[_pos] <= '9')
            {
                int d = _text[_pos] - '0';
                if (value > (long.MaxValue - d) / 10)
                {
                    Fail("number of '" + key + "' is too large", start);
                    return false;
                }

                value = value * 10 + d;
                digits++;
                _pos++;
            }

            if (digits == 0)
            {
                Fail("number of '" + key + "' has no digits", start);
                return false;
            }

            char next = Peek();
            if (next == '.' || next == 'e' || next == 'E')
            {
                Fail("number of '" + key + "' must be a whole number", start);
                return false;
            }

            obj.Add(key, JsonObject.KindNumber, negative ? -value : value, null);
            return true;
        }

        private string ParseString()
        {
            if (!Expect('"'))
            {
                return null;
            }

            int start = _pos;
            char[] buffer = null;
            int length = 0;
            while (_pos < _text.Length)
            {
                char c = _text[_pos++];
                if (c == '"')
                {
                    return buffer == null ? _text.Substring(start, _pos - start - 1) : new string(buffer, 0, length);
                }

                if (buffer == null)
                {
                    if (c != '\\')
                    {
                        continue;
                    }

                    // First escape: copy what came before into a buffer and switch to unescaping.
                    buffer = new char[_text.Length - start];
                    for (int i = start; i < _pos - 1; i++)
                    {
                        buffer[length++] = _text[i];
                    }
                }

                if (c == '\\')
                {
                    if (_pos >= _text.Length)
                    {
                        break;
                    }

                    char e = _text[_pos++];
                    if (e == 'n') { c = '\n'; }
                    else if (e == 't') { c = '\t'; }
                    else if (e == 'r') { c = '\r'; }
                    else if (e == 'b') { c = '\b'; }
                    else if (e == 'f') { c = '\f'; }
                    else if (e == '"' || e == '\\' || e == '/') { c = e; }
                    else if (e == 'u')
                    {
                        int code = ParseHex4();
                        if (code < 0)
                        {
                            Fail("bad \\u escape", _pos);
                            return null;
                        }

                        c = (char)code;
                    }
                    else
                    {
                        Fail("bad escape '\\" + new string(e, 1) + "'", _pos - 2);
                        return null;
                    }
                }
                else if (c < ' ')
                {
                    Fail("control character inside a string", _pos - 1);
                    return null;
                }

                buffer[length++] = c;
            }

            Fail("unterminated string", start - 1);
            return null;
        }

        private int ParseHex4()
        {
            if (_pos + 4 > _text.Length)
            {
                return -1;
            }

            int code = 0;
            for (int i = 0; i < 4; i++)
            {
                char h = _text[_pos++];
                int v;
                if (h >= '0' && h <= '9') { v = h - '0'; }
                else if (h >= 'a' && h <= 'f') { v = h - 'a' + 10; }
                else if (h >= 'A' && h <= 'F') { v = h - 'A' + 10; }
                else { return -1; }
                code = code * 16 + v;
            }

            return code;
        }

        private bool Word(string word)
        {
            if (_pos + word.Length > _text.Length)
            {
                return false;
            }

            for (int i = 0; i < word.Length; i++)
            {
                if (_text[_pos + i] != word[i])
                {
                    return false;
                }
            }

            _pos += word.Length;
            return true;
        }

        private bool AtEnd()
        {
            SkipSpace();
            if (_pos != _text.Length)
            {
                Fail("text after the closing '}'", _pos);
                return false;
            }

            return true;
        }

        private bool Expect(char c)
        {
            if (Peek() != c)
            {
                Fail(_pos >= _text.Length ? "unexpected end, expected '" + new string(c, 1) + "'" : "expected '" + new string(c, 1) + "'", _pos);
                return false;
            }

            _pos++;
            return true;
        }

        private char Peek()
        {
            return _pos < _text.Length ? _text[_pos] : '\0';
        }

        private void SkipSpace()
        {
            while (_pos < _text.Length)
            {
                char c = _text[_pos];
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
                {
                    return;
                }

                _pos++;
            }
        }

        private JsonObject Fail(string message, int position)
        {
            if (_error == null)
            {
                _error = message + " at character " + position.ToString();
            }

            return null;
        }
    }
}
