namespace Kuulo.Core.Config
{
    /// <summary>
    /// One tunable value: its wire name, default, inclusive range and unit.
    /// All parameters are integers so the device never parses or formats floats.
    /// </summary>
    public sealed class ConfigParameter
    {
        public ConfigParameter(string name, int defaultValue, int min, int max, string unit, string description)
        {
            Name = name;
            Default = defaultValue;
            Min = min;
            Max = max;
            Unit = unit;
            Description = description;
        }

        public string Name { get; private set; }
        public int Default { get; private set; }
        public int Min { get; private set; }
        public int Max { get; private set; }
        public string Unit { get; private set; }
        public string Description { get; private set; }

        /// <summary>Null when <paramref name="value"/> is allowed, otherwise a message saying why not.</summary>
        public string Check(int value)
        {
            if (value >= Min && value <= Max)
            {
                return null;
            }

            return Name + " must be between " + Min.ToString() + " and " + Max.ToString() + " " + Unit
                + " (got " + value.ToString() + ")";
        }
    }
}
