namespace Kuulo.Core.Protocol
{
    /// <summary>
    /// Reads typed, range-checked fields out of a parsed payload and keeps the first problem,
    /// so each message's parser reads as a list of fields rather than a ladder of ifs.
    /// </summary>
    internal sealed class PayloadReader
    {
        private readonly JsonObject _obj;

        private PayloadReader(JsonObject obj, string error)
        {
            _obj = obj;
            Error = error;
        }

        public string Error { get; private set; }

        public bool Ok { get { return Error == null; } }

        public static PayloadReader Open(string json, int protocolVersion)
        {
            if (json != null && json.Length > Topics.MaxPayloadBytes)
            {
                return new PayloadReader(null, "payload is " + json.Length.ToString() + " characters, more than the "
                    + Topics.MaxPayloadBytes.ToString() + " allowed");
            }

            string error;
            JsonObject obj = JsonReader.Parse(json, out error);
            PayloadReader reader = new PayloadReader(obj, error);
            if (reader.Ok)
            {
                int v = reader.Int("v", 1, 1000);
                if (reader.Ok && v != protocolVersion)
                {
                    reader.Error = "protocol version " + v.ToString() + " is not supported (expected " + protocolVersion.ToString() + ")";
                }
            }

            return reader;
        }

        public JsonObject Object { get { return _obj; } }

        public long Long(string key, long min, long max)
        {
            if (!Ok)
            {
                return 0;
            }

            long value;
            if (!_obj.TryGetNumber(key, out value))
            {
                Error = _obj.Has(key) ? "'" + key + "' must be a whole number" : "'" + key + "' is missing";
                return 0;
            }

            if (value < min || value > max)
            {
                Error = "'" + key + "' must be between " + min.ToString() + " and " + max.ToString() + " (got " + value.ToString() + ")";
                return 0;
            }

            return value;
        }

        public int Int(string key, int min, int max)
        {
            return (int)Long(key, min, max);
        }

        /// <summary>An optional integer: <paramref name="fallback"/> when absent, range-checked when present.</summary>
        public int OptionalInt(string key, int min, int max, int fallback)
        {
            if (!Ok || !_obj.Has(key))
            {
                return fallback;
            }

            return Int(key, min, max);
        }

        public string Text(string key, int maxLength)
        {
            if (!Ok)
            {
                return null;
            }

            string value;
            if (!_obj.TryGetString(key, out value))
            {
                Error = _obj.Has(key) ? "'" + key + "' must be a string" : "'" + key + "' is missing";
                return null;
            }

            if (value.Length > maxLength)
            {
                Error = "'" + key + "' is longer than " + maxLength.ToString() + " characters";
                return null;
            }

            return value;
        }

        public string OptionalText(string key, int maxLength)
        {
            if (!Ok || !_obj.Has(key))
            {
                return null;
            }

            return Text(key, maxLength);
        }

        public bool Bool(string key)
        {
            if (!Ok)
            {
                return false;
            }

            bool value;
            if (!_obj.TryGetBool(key, out value))
            {
                Error = _obj.Has(key) ? "'" + key + "' must be true or false" : "'" + key + "' is missing";
            }

            return value;
        }

        public void Check(bool condition, string problem)
        {
            if (Ok && !condition)
            {
                Error = problem;
            }
        }

        /// <summary>Rejects keys the message does not define, so a typo is reported instead of ignored.</summary>
        public void OnlyKeys(string[] allowed)
        {
            if (!Ok)
            {
                return;
            }

            for (int i = 0; i < _obj.Count; i++)
            {
                string key = _obj.KeyAt(i);
                bool known = false;
                for (int j = 0; j < allowed.Length; j++)
                {
                    if (allowed[j] == key)
                    {
                        known = true;
                        break;
                    }
                }

                if (!known)
                {
                    Error = "unknown field '" + key + "'";
                    return;
                }
            }
        }
    }
}
