using Kuulo.Core.Alerts;

namespace Kuulo.Desk.Unit;

/// <summary>
/// The terminal stand-in for the desk's LED and buzzer: one line per unit, redrawn in place on a terminal,
/// printed as log lines when the output is a file or a pipe.
/// </summary>
public static class UnitView
{
    public static async Task ShowAsync(IReadOnlyList<DeskUnit> units, Task running, TextWriter output, bool live)
    {
        bool first = true;
        while (!running.IsCompleted)
        {
            if (live && !first)
            {
                output.Write($"\u001b[{units.Count}A");
            }

            foreach (var unit in units)
            {
                output.WriteLine((live ? "\u001b[2K" : "") + Line(unit));
            }

            first = false;
            await Task.WhenAny(running, Task.Delay(live ? 250 : 5000));
        }

        foreach (var unit in units)
        {
            output.WriteLine(Line(unit));
        }
    }

    public static string Line(DeskUnit u) =>
        $"{u.DeviceId,-12} {Lamp(u.Indicator),-26} {(u.Buzzing ? "BUZZ" : "    ")} {(u.Connected ? "online " : "offline")} " +
        $"calls {u.Calls,3}  queued {u.Queued,3}  dropped {u.Dropped,3}  cfg v{u.ConfigVersion,-3} {u.LastEvent}";

    private static string Lamp(int pattern) => pattern switch
    {
        IndicatorPattern.InCall => "green (in call)",
        IndicatorPattern.Interruption => "AMBER interruption",
        IndicatorPattern.DeadAir => "BLUE dead air",
        IndicatorPattern.DeadAirUrgent => "BLUE BLINK dead air",
        IndicatorPattern.Monologue => "AMBER BLINK monologue",
        IndicatorPattern.Paused => "white (hold/mute)",
        _ => "off",
    };
}
