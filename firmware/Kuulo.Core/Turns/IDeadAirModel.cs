namespace Kuulo.Core.Turns
{
    /// <summary>
    /// A trained judge of <see cref="DeadAirEvidence"/>: log-odds that a silence the turn rules time as dead air is one
    /// (above 0), not a hold the hold detector missed or a customer the voice detector lost. Generated into
    /// DeadAirModel.g.cs by tests/Kuulo.Training from the same corpus as the voice models.
    /// </summary>
    public interface IDeadAirModel
    {
        float Score(float[] evidence);
    }
}
