using System.Diagnostics;
using Kuulo.Companion.Storage;
using Kuulo.TestSupport;

/// <summary>
/// Seeds a database (see <see cref="Seeder"/>), starts the real companion on it and times every request the
/// dashboard's pages make, through HTTP as a signed-in supervisor: p50, p95 and max over a number of runs, each run
/// asking for a different agent, team or period so no answer is simply repeated.
/// </summary>
static class DashboardBench
{
    public static async Task RunAsync(string[] args)
    {
        string db = Arg(args, "--db", "postgres");
        long calls = long.Parse(Arg(args, "--calls", db == "postgres" ? "15000000" : "1500000"));
        int agents = int.Parse(Arg(args, "--agents", "1000")), teams = int.Parse(Arg(args, "--teams", "50"));
        int sites = int.Parse(Arg(args, "--sites", "3")), days = int.Parse(Arg(args, "--days", "365")), runs = int.Parse(Arg(args, "--runs", "40"));
        string? connection = args.Contains("--connection") ? Arg(args, "--connection", "") : null;
        bool seed = !args.Contains("--no-seed");
        Console.WriteLine($"dashboard bench: {db}, {calls:N0} calls, {agents} agents, {teams} teams, {sites} sites, {days} days, {runs} runs per request");

        PostgresServer? postgres = null;
        string? file = null;
        if (db == "postgres" && connection == null)
        {
            postgres = await PostgresServer.StartAsync();
            connection = await postgres.CreateDatabaseAsync();
        }
        else if (db == "sqlite" && connection == null)
        {
            file = Path.Combine(Path.GetTempPath(), $"kuulo-bench-{Guid.NewGuid():N}.db");
            connection = $"Data Source={file}";
        }

        try
        {
            var seeder = new Seeder(db == "postgres" ? SqlDialect.Postgres(connection!) : SqlDialect.Sqlite(connection!), calls, agents, teams, sites, days);
            if (seed)
            {
                await seeder.RunAsync();
            }

            using var companion = await CompanionProcess.StartAsync(new Dictionary<string, string>
            {
                ["Database:Provider"] = db, ["Database:ConnectionString"] = connection!, ["Logging:LogLevel:Kuulo"] = "Warning",
            });
            using var http = companion.Client(CompanionProcess.SupervisorUser, CompanionProcess.SupervisorPassword);
            http.Timeout = TimeSpan.FromMinutes(5);
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            string Day(int daysAgo) => today.AddDays(-daysAgo).ToString("yyyy-MM-dd");
            string AgentOf(int run) => Seeder.Agent(run * 37 % agents);
            string TeamOf(int run) => seeder.TeamOf(run * 37 % agents);
            var monthStart = new DateOnly(today.Year, today.Month, 1).AddMonths(-1);
            var requests = new (string Name, bool PageLoad, Func<int, string> Path)[]
            {
                // The paths and page size the dashboard's pages ask for.
                ("overview default: table", true, _ => "/api/stats?by=team&period=day&offset=0&limit=100"),
                ("overview default: chart", true, _ => "/api/charts/trend.svg?by=team&period=day&metric=interruptions"),
                ("overview team filter + month over a year", true, r => $"/api/stats?by=agent&period=month&team={TeamOf(r)}&from={Day(364)}&to={Day(0)}&offset=0&limit=100"),
                ("by-agent week over a year: table", true, r => $"/api/stats?by=agent&period=week&from={Day(364 + r % 7)}&to={Day(r % 7)}&offset=0&limit=100"),
                ("by-agent week over a year: chart", true, r => $"/api/charts/trend.svg?by=agent&period=week&metric=dead_air&from={Day(364 + r % 7)}&to={Day(r % 7)}"),
                ("ranking within a team (30 days)", true, r => $"/api/ranking?team={TeamOf(r)}&metric=interruptions"),
                ("agent page: calls", true, r => $"/api/calls?agent={AgentOf(r)}&limit=200"),
                ("agent page: trend", true, r => $"/api/charts/trend.svg?by=agent&agent={AgentOf(r)}&metric=interruptions"),
                ("agent page: alerts (paged)", true, r => $"/api/agents/{AgentOf(r)}/alerts?offset=0&limit=25"),
                ("agent page: sites and zones", true, _ => "/api/sites"),
                ("agent page: config versions", true, r => $"/api/agents/{AgentOf(r)}/config"),
                ("floor: desks", true, _ => "/api/floor"),
                ("floor: alerts for red tiles", true, _ => "/api/alerts?seconds=60&limit=1000"),
                ("floor: alert list (last 20)", true, _ => "/api/alerts?seconds=300&limit=20"),
                ("metrics scrape", true, _ => "/metrics"),
                ("CSV: stats by agent per day, a month", false, _ => $"/api/stats?by=agent&period=day&from={monthStart:yyyy-MM-dd}&to={monthStart.AddMonths(1).AddDays(-1):yyyy-MM-dd}&format=csv"),
                ("CSV: one agent's calls, a month", false, r => $"/api/calls?agent={AgentOf(r)}&from={monthStart:yyyy-MM-dd}&to={monthStart.AddMonths(1):yyyy-MM-dd}&limit=100000&format=csv"),
            };

            // The machine may be shared: say how busy it was, so the figures can be read for what they are.
            Console.WriteLine($"load average before timing: {LoadAverage()}");
            Console.WriteLine($"{"request",-44} {"p50 ms",8} {"p95 ms",8} {"max ms",8} {"KB",8}");
            bool allMet = true;
            foreach (var (name, pageLoad, path) in requests)
            {
                var times = new List<double>();
                long bytes = 0;
                for (int run = -2; run < runs; run++)
                {
                    var watch = Stopwatch.StartNew();
                    var response = await http.GetAsync(path(run + 2));
                    var body = await response.Content.ReadAsByteArrayAsync();
                    watch.Stop();
                    if (!response.IsSuccessStatusCode)
                    {
                        throw new InvalidOperationException($"{path(run + 2)}: {(int)response.StatusCode} {System.Text.Encoding.UTF8.GetString(body)}");
                    }

                    if (run >= 0)
                    {
                        times.Add(watch.Elapsed.TotalMilliseconds);
                        bytes = body.Length;
                    }
                }

                times.Sort();
                double p95 = Percentile(times, 0.95);
                allMet &= !pageLoad || p95 < 100;
                Console.WriteLine($"{name,-44} {Percentile(times, 0.5),8:N1} {p95,8:N1} {times[^1],8:N1} {bytes / 1024.0,8:N0}{(pageLoad && p95 >= 100 ? "  over 100 ms" : "")}");
            }

            Console.WriteLine($"load average after timing: {LoadAverage()}");
            Console.WriteLine(allMet ? "every page-load request: p95 < 100 ms" : "some page-load requests missed p95 < 100 ms");
        }
        finally
        {
            postgres?.Dispose();
            if (file != null)
            {
                foreach (var f in new[] { file, file + "-wal", file + "-shm" }.Where(File.Exists))
                {
                    File.Delete(f);
                }
            }
        }
    }

    private static string LoadAverage() => File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Arg(string[] args, string name, string fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
    }
}
