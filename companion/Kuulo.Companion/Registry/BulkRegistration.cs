using System.Text;
using Kuulo.Companion.Options;
using Kuulo.Companion.Storage;
using Microsoft.Extensions.Options;

namespace Kuulo.Companion.Registry;

/// <summary>
/// Registration of many desks from a CSV (id, site, team, desk, agent). Every row is checked before any is
/// registered, so a file with a bad line registers nothing and says which lines are wrong. The passwords exist only
/// in the answer: the database keeps their hashes.
/// </summary>
public sealed class BulkRegistration(DeviceRegistry registry, SqlStore store, IOptions<KuuloOptions> options)
{
    public static readonly string[] Columns = { "id", "site", "team", "desk", "agent" };

    /// <summary>Bounds the work one request can ask for; the request body limit bounds it too.</summary>
    public const int MaxRows = 2000;

    public sealed record Row(int Line, string Id, string Site, string Team, string Desk, string Agent);

    public sealed record Registered(string Id, string Password, IReadOnlyDictionary<string, object> Settings);

    public sealed record Result(IReadOnlyList<Registered>? Devices, IReadOnlyList<string> Errors);

    public async Task<Result> RegisterAsync(string csv)
    {
        var (rows, errors) = Parse(csv);
        var known = (await store.ListDevicesAsync()).Select(d => d.Id).ToHashSet();
        var seen = new HashSet<string>();
        foreach (var row in rows)
        {
            if (registry.Check(row.Id, row.Site, row.Team, row.Desk, row.Agent) is { } problem)
            {
                errors.Add($"line {row.Line}: {problem}");
            }
            else if (known.Contains(row.Id))
            {
                errors.Add($"line {row.Line}: device '{row.Id}' is already registered");
            }
            else if (!seen.Add(row.Id))
            {
                errors.Add($"line {row.Line}: device '{row.Id}' appears twice in the file");
            }
        }

        if (errors.Count > 0)
        {
            return new(null, errors);
        }

        var registered = new List<Registered>();
        foreach (var row in rows)
        {
            var outcome = await registry.RegisterAsync(row.Id, row.Site, row.Team, row.Desk, row.Agent);
            if (outcome.Value is { } r)
            {
                registered.Add(new Registered(r.Id, r.Password, Settings(r.Id, r.Password)));
            }
            else
            {
                // Only a registration racing this one can get here: report it, keep the others (their passwords are in this answer only).
                errors.Add($"line {row.Line}: {outcome.Error}");
            }
        }

        return new(registered, errors);
    }

    /// <summary>
    /// The desk's I:\kuulo\settings.json (firmware Net/DeviceSettings.cs reads it): everything but the Wi-Fi, which
    /// the installer fills in on site. <paramref name="password"/> is "" when it is not known any more.
    /// </summary>
    public IReadOnlyDictionary<string, object> Settings(string id, string password)
    {
        var o = options.Value;
        var settings = new Dictionary<string, object>
        {
            ["wifi_ssid"] = "", ["wifi_password"] = "",
            ["broker_host"] = o.Fleet.DeviceBrokerHost ?? o.Broker.Host, ["broker_port"] = o.Fleet.DeviceBrokerPort ?? o.Broker.Port,
            ["tls"] = o.Broker.Tls, ["device_id"] = id, ["device_password"] = password,
        };
        if (o.Fleet.DeviceCompanionUrl != null)
        {
            settings["companion_url"] = o.Fleet.DeviceCompanionUrl;
        }

        return settings;
    }

    public static string CredentialsCsv(IEnumerable<Registered> devices) =>
        "id,password\r\n" + string.Concat(devices.Select(d => $"{d.Id},{d.Password}\r\n"));

    /// <summary>Rows with their line numbers, and what is wrong with the file's shape.</summary>
    public static (List<Row> Rows, List<string> Errors) Parse(string csv)
    {
        var rows = new List<Row>();
        var errors = new List<string>();
        var lines = csv.Replace("\r\n", "\n").Split('\n');
        var header = Fields(lines[0].TrimStart('\uFEFF')).Select(h => h.Trim().ToLowerInvariant()).ToList();
        var missing = Columns.Where(c => !header.Contains(c)).ToList();
        if (missing.Count > 0)
        {
            errors.Add($"line 1: the header must name the columns {string.Join(", ", Columns)} (missing {string.Join(", ", missing)})");
            return (rows, errors);
        }

        for (int i = 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0)
            {
                continue;
            }

            if (rows.Count == MaxRows)
            {
                errors.Add($"line {i + 1}: at most {MaxRows} desks per file");
                break;
            }

            var fields = Fields(lines[i]);
            if (fields.Count != header.Count)
            {
                errors.Add($"line {i + 1}: {fields.Count} fields, the header has {header.Count}");
                continue;
            }

            string Get(string column) => fields[header.IndexOf(column)].Trim();
            rows.Add(new Row(i + 1, Get("id"), Get("site"), Get("team"), Get("desk"), Get("agent")));
        }

        if (rows.Count == 0 && errors.Count == 0)
        {
            errors.Add("the file names no desks");
        }

        return (rows, errors);
    }

    /// <summary>One line's fields: commas separate, double quotes enclose (a doubled quote is a quote).</summary>
    private static List<string> Fields(string line)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted && c == '"' && i + 1 < line.Length && line[i + 1] == '"')
            {
                field.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
            }
            else if (c == ',' && !quoted)
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }
}
