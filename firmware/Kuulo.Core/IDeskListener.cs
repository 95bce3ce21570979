using Kuulo.Core.Protocol;

namespace Kuulo.Core
{
    /// <summary>
    /// Receives what the engine decides. Called synchronously from <see cref="DeskEngine.ProcessFrame"/>,
    /// so implementations must be quick; times are engine milliseconds (frames processed × frame length).
    /// </summary>
    public interface IDeskListener
    {
        /// <summary>
        /// Every detected event, alerting or not (see <see cref="Turns.EventType"/>). <paramref name="stage"/> is
        /// 1, or 2 for dead air's second stage.
        /// </summary>
        void OnEvent(int type, int timeMs, int stage);

        /// <summary>
        /// An alert the desk actually shows (after cooldown and quiet mode): light <paramref name="pattern"/> and
        /// buzz when <paramref name="buzz"/> is set. See <see cref="Alerts.IndicatorPattern"/>.
        /// </summary>
        void OnAlert(int type, int timeMs, int stage, int pattern, bool buzz);

        /// <summary>A call ended; the summary has no sequence number yet (the outbox assigns it).</summary>
        void OnCallEnded(CallSummary summary);
    }
}
