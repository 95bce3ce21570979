using System.Globalization;
using Kuulo.Core.Audio;

namespace Kuulo.Training;

/// <summary>
/// A trained network as the generated code runs it: the same float constants (as printed), the same order of
/// operations. The interruption model is trained on what the engine decides with these voice models, so they
/// must decide exactly as the generated file will.
/// </summary>
public sealed class GeneratedClassifier : IFrameClassifier
{
    private readonly int _inputs;
    private readonly float[] _weights;
    private readonly float[] _biases;
    private readonly float[] _outputs;
    private readonly float _outputBias;

    public GeneratedClassifier(Network net)
    {
        _inputs = net.Mean.Length;
        _weights = new float[net.Hidden * _inputs];
        _biases = new float[net.Hidden];
        _outputs = new float[net.Hidden];
        _outputBias = Constant(net.B2);
        for (int h = 0; h < net.Hidden; h++)
        {
            var (bias, weights) = net.Folded(h);
            for (int i = 0; i < _inputs; i++)
            {
                _weights[h * _inputs + i] = Constant(weights[i]);
            }

            _biases[h] = Constant(bias);
            _outputs[h] = Constant(net.W2[h]);
        }
    }

    /// <summary>A weight as the generated file spells it (<see cref="ModelWriter"/>), read back.</summary>
    public static float Constant(double value) =>
        float.Parse(ModelWriter.Literal(value).TrimEnd('f'), CultureInfo.InvariantCulture);

    public float Score(float[] f)
    {
        float score = _outputBias;
        for (int h = 0; h < _biases.Length; h++)
        {
            float sum = _biases[h];
            for (int i = 0; i < _inputs; i++)
            {
                sum = sum + _weights[h * _inputs + i] * f[i];
            }

            if (sum > 0f)
            {
                score += sum * _outputs[h];
            }
        }

        return score;
    }
}
