namespace Kuulo.Core.Audio
{
    /// <summary>
    /// The frame classifier: one hidden layer of rectified units over <see cref="SpeechFeatures"/>, one output.
    /// <see cref="Score"/> is a log-odds of speech (above 0: more likely speech than not). The weights are
    /// trained by tests/Kuulo.Training on the corpus and generated into <see cref="VoiceModel"/>; feature
    /// scaling is folded into the first layer, so the features go in as they are.
    /// </summary>
    public sealed class VoiceNet
    {
        private readonly float[] _inputWeights;
        private readonly float[] _hiddenBias;
        private readonly float[] _outputWeights;
        private readonly float _outputBias;

        /// <param name="inputWeights">hidden × <see cref="SpeechFeatures.Count"/>, one row per hidden unit.</param>
        public VoiceNet(float[] inputWeights, float[] hiddenBias, float[] outputWeights, float outputBias)
        {
            _inputWeights = inputWeights;
            _hiddenBias = hiddenBias;
            _outputWeights = outputWeights;
            _outputBias = outputBias;
        }

        public float Score(float[] features)
        {
            float[] w = _inputWeights;
            float score = _outputBias;
            int k = 0;
            for (int h = 0; h < _hiddenBias.Length; h++)
            {
                float a = _hiddenBias[h];
                for (int i = 0; i < SpeechFeatures.Count; i++)
                {
                    a += w[k++] * features[i];
                }

                if (a > 0f)
                {
                    score += a * _outputWeights[h];
                }
            }

            return score;
        }
    }
}
