namespace Kuulo.Core.Turns
{
    /// <summary>Receives the turn tracker's events (<see cref="EventType"/>) as they are decided.</summary>
    public interface ITurnListener
    {
        void OnTurnEvent(int type, int timeMs, int stage);
    }
}
