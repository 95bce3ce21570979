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
    /// <summary>Most lines on one chart; the table has the rest.</summary>
    public const int MaxSeries = 8;

    private static readonly string[] Colours = { "#1f6feb", "#d1242f", "#1a7f37", "#9a6700", "#8250df", "#bf3989", "#0a7ea4", "#57606a" };
    private const int Width = 720, Height = 260, Left = 56, Right = 140, Top = 28, Bottom = 40;

    /// <param name="marks">Periods where something that changes the figures happened (a configuration change).</param>
    public static string Render(IReadOnlyList<AggregateRow> rows, Figures.Metric metric, string period, string zone, IReadOnlyList<DateOnly> marks)
    {
        var inv = CultureInfo.InvariantCulture;
        var periods = rows.Select(r => r.PeriodStart).Distinct().Order().ToList();
        // The busiest series get the colours; the rest are in the table.
        var series = rows.GroupBy(r => r.Key).OrderByDescending(g => g.Sum(r => r.Calls)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxSeries).OrderBy(g => g.Key, StringComparer.Ordinal).ToList();
        double max = Nice(rows.Count == 0 ? 1 : rows.Max(metric.Value));
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        double X(DateOnly period) => Left + (periods.Count <= 1 ? plotW / 2 : plotW * periods.IndexOf(period) / (periods.Count - 1));
        double Y(double v) => Top + plotH * (1 - v / max);

        var svg = new StringBuilder();
        svg.Append(inv, $"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Escape(metric.Label)} by {period}\" font-family=\"system-ui, sans-serif\" font-size=\"12\">");
        svg.Append(inv, $"<title>{Escape(metric.Label)} by {period}</title>");
        svg.Append(inv, $"<text x=\"{Left}\" y=\"16\" font-weight=\"600\">{Escape(metric.Label)}</text>");
        svg.Append(inv, $"<text x=\"{Width - Right}\" y=\"16\" text-anchor=\"end\" fill=\"#57606a\">local days, {Escape(zone)}</text>");
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

        // At most about twelve date labels, so a year of days stays readable.
        int step = Math.Max(1, (periods.Count + 11) / 12);
        for (int i = 0; i < periods.Count; i += step)
        {
            var p = periods[i];
            string label = p.ToString(period switch { "week" => "'w/c' MMM d", "month" => "MMM yyyy", _ => "MMM d" }, inv);
            svg.Append(inv, $"<text x=\"{X(p):F1}\" y=\"{Height - Bottom + 18}\" text-anchor=\"middle\" fill=\"#57606a\">{label}</text>");
        }

        foreach (var mark in marks.Where(periods.Contains))
        {
            svg.Append(inv, $"<line class=\"config-change\" x1=\"{X(mark):F1}\" x2=\"{X(mark):F1}\" y1=\"{Top}\" y2=\"{Height - Bottom}\" stroke=\"#9a6700\" stroke-dasharray=\"4 3\"><title>Configuration changed ({mark:yyyy-MM-dd})</title></line>");
            svg.Append(inv, $"<text x=\"{X(mark) + 3:F1}\" y=\"{Top + 10}\" fill=\"#9a6700\" font-size=\"10\">config</text>");
        }

        for (int s = 0; s < series.Count; s++)
        {
            var points = series[s].OrderBy(r => r.PeriodStart).Select(r => $"{X(r.PeriodStart):F1},{Y(metric.Value(r)):F1}").ToList();
            string colour = Colours[s];
            svg.Append(inv, $"<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{string.Join(' ', points)}\"/>");
            foreach (var r in series[s])
            {
                svg.Append(inv, $"<circle cx=\"{X(r.PeriodStart):F1}\" cy=\"{Y(metric.Value(r)):F1}\" r=\"3\" fill=\"{colour}\"><title>{Escape(r.Key)} {r.PeriodStart:yyyy-MM-dd}: {metric.Value(r).ToString("0.##", inv)}</title></circle>");
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
