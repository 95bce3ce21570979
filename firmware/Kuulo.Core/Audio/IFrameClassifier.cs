namespace Kuulo.Core.Audio
{
    /// <summary>
    /// A trained per-frame classifier over <see cref="SpeechFeatures"/>: one hidden layer of rectified units,
    /// one output, trained by tests/Kuulo.Training on the corpus and generated into VoiceModel.g.cs as
    /// straight-line code (in an interpreter, constants in code are several times cheaper than weight arrays).
    /// <see cref="Score"/> is a log-odds: above 0, more likely yes than no.
    /// </summary>
    public interface IFrameClassifier
    {
        float Score(float[] features);
    }
}
