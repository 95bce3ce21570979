namespace Kuulo.Core.Turns
{
    /// <summary>
    /// A trained judge of <see cref="InterruptionEvidence"/>: log-odds that an agent start which passed the turn rules
    /// is an interruption a listener would recognise (above 0, more likely yes than no). Generated into
    /// InterruptionModel.g.cs by tests/Kuulo.Training from the same corpus as the voice models.
    /// </summary>
    public interface IInterruptionModel
    {
        float Score(float[] evidence);
    }
}
