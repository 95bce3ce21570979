using System.Globalization;
using System.Security;
using System.Text;
using Kuulo.Companion.Storage;

namespace Kuulo.Companion.Api;

/// <summary>
/// Server-rendered SVG trend charts: one line per agent, team or site over days or weeks, with labelled axes and
/// units. Rendered here so the dashboard needs no script to draw and the figures are the API's own.
/// </summary>
public static class TrendChart
{
    public sealed record Metric(string Name, string Label, Func<AggregateRow, double> Value);

    public static readonly Metric[] Metrics =
    {
        new("interruptions", "Interruptions per call", r => r.InterruptionsPerCall),
        new("dead_air", "Dead air per call (s)", r => r.DeadAirSecondsPerCall),
        new("backchannels", "Backchannels per call", r => r.BackchannelsPerCall),
        new("talk_share", "Agent talk share (%)", r => 100 * r.AgentTalkShare),
        new("overlap_share", "Overlap share (%)", r => 100 * r.OverlapShare),
        new("response_gap", "Response gap (s)", r => r.ResponseGapSeconds),
        new("calls", "Calls", r => r.Calls),
    };

    private static readonly string[] Colours = { "#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a" };
    private const int Width = 720, Height = 260, Left = 56, Right = 140, Top = 28, Bottom = 40;

    public static string Render(IReadOnlyList<AggregateRow> rows, Metric metric, bool weekly)
    {
        var inv = CultureInfo.InvariantCulture;
        var periods = rows.Select(r => r.PeriodStartMs).Distinct().Order().ToList();
        var series = rows.GroupBy(r => r.Key).OrderBy(g => g.Key).Take(Colours.Length).ToList();
        double max = Nice(rows.Count == 0 ? 1 : rows.Max(metric.Value));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(long period) => Left + (periods.Count <= 1 ? plotW / 2 : plotW * periods.IndexOf(period) / (periods.Count - 1));
        double Y(double v) => Top + plotH * (1 - v / max);

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Escape(metric.Label)} by {(weekly ? "week" : "day")}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">");
        svg.Append(inv, $"<title>{Escape(metric.Label)} by {(weekly ? "week" : "day")}</title>");
        svg.Append(inv, $"<text x=\"{Left}\" y=\"16\" font-weight=\"600\">{Escape(metric.Label)}</text>");
        if (rows.Count == 0)
        {
            svg.Append(inv, $"<text x=\"{Width / 2}\" y=\"{Height / 2}\" text-anchor=\"middle\" fill=\"#57606a\">No calls in this period yet</text></svg>");
            return svg.ToString();
        }

        for (int i = 0; i <= 4; i++)
        {
            double v = max * i / 4;
            svg.Append(inv, $"<line x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{Y(v):F1}\" y2=\"{Y(v):F1}\" stroke=\"#d0d7de\"/>");
            svg.Append(inv, $"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:F1}\" text-anchor=\"end\" fill=\"#57606a\">{v.ToString(max >= 10 ? "0" : "0.##", inv)}</text>");
        }

        foreach (var p in periods)
        {
            string label = DateTimeOffset.FromUnixTimeMilliseconds(p).ToString(weekly ? "'w/c' MMM d" : "MMM d", inv);
            svg.Append(inv, $"<text x=\"{X(p):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" fill=\"#57606a\">{label}</text>");
        }

        for (int s = 0; s < series.Count; s++)
        {
            var points = series[s].OrderBy(r => r.PeriodStartMs).Select(r => $"{X(r.PeriodStartMs):F1},{Y(metric.Value(r)):F1}").ToList();
            string colour = Colours[s];
            svg.Append(inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            foreach (var r in series[s])
            {
                svg.Append(inv, $"<circle cx=\"{X(r.PeriodStartMs):F1}\" cy=\"{Y(metric.Value(r)):F1}\" r=\"3\" fill=\"{colour}\"><title>{Escape(r.Key)}: {metric.Value(r).ToString("0.##", inv)}</title></circle>");
            }

            svg.Append(inv, $"<rect x=\"{Width - Right + 12}\" y=\"{Top + s * 18}\" width=\"10\" height=\"10\" fill=\"{colour}\"/>");
            svg.Append(inv, $"<text x=\"{Width - Right + 28}\" y=\"{Top + s * 18 + 9}\">{Escape(series[s].Key)}</text>");
        }

        svg.Append("</svg>");
        return svg.ToString();
    }

    /// <summary>1, 2 or 5 times a power of ten, at or above <paramref name="value"/>.</summary>
    private static double Nice(double value)
    {
        if (value <= 0)
        {
            return 1;
        }

        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (var step in new[] { 1.0, 2, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }

        return 10 * magnitude;
    }

    private static string Escape(string text) => SecurityElement.Escape(text) ?? "";
}
