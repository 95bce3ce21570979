namespace Kuulo.Training;

/// <summary>
/// The same one-hidden-layer rectifier network as the core's <c>VoiceNet</c>, in double precision, trained with
/// Adam on a logistic loss. Deterministic for a seed: one thread, fixed order.
/// </summary>
public sealed class Network
{
    private readonly int _inputs;
    private readonly int _hidden;
    public double[] W1, B1, W2;
    public double B2;
    public double[] Mean, Scale;

    public Network(int inputs, int hidden, Random rng)
    {
        _inputs = inputs;
        _hidden = hidden;
        W1 = new double[hidden * inputs];
        B1 = new double[hidden];
        W2 = new double[hidden];
        Mean = new double[inputs];
        Scale = new double[inputs];
        double s1 = Math.Sqrt(2.0 / inputs), s2 = Math.Sqrt(1.0 / hidden);
        for (int i = 0; i < W1.Length; i++) { W1[i] = Gaussian(rng) * s1; }
        for (int i = 0; i < W2.Length; i++) { W2[i] = Gaussian(rng) * s2; }
    }

    public int Hidden => _hidden;

    /// <summary>
    /// Hidden unit <paramref name="h"/> on raw features: the feature scaling folded into its weights and bias, as the
    /// generated code computes it.
    /// </summary>
    public (double Bias, double[] Weights) Folded(int h)
    {
        double bias = B1[h];
        var weights = new double[_inputs];
        for (int i = 0; i < _inputs; i++)
        {
            weights[i] = W1[h * _inputs + i] * Scale[i];
            bias -= weights[i] * Mean[i];
        }

        return (bias, weights);
    }

    /// <summary>Log-odds of speech for raw (unscaled) features.</summary>
    public double Score(float[] x)
    {
        double score = B2;
        for (int h = 0; h < _hidden; h++)
        {
            double a = B1[h];
            for (int i = 0; i < _inputs; i++)
            {
                a += W1[h * _inputs + i] * (x[i] - Mean[i]) * Scale[i];
            }

            if (a > 0) { score += a * W2[h]; }
        }

        return score;
    }

    public void Train(List<float[]> features, List<bool> labels, int epochs, int batch, double rate, Random rng, TextWriter log)
    {
        int n = features.Count;
        Standardise(features);
        var order = Enumerable.Range(0, n).ToArray();
        var adam = new Adam(W1.Length + B1.Length + W2.Length + 1);
        var grad = new double[adam.Size];
        var hidden = new double[_hidden];
        var x = new double[_inputs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Shuffle(order, rng);
            double loss = 0;
            double lr = rate * (epoch < epochs / 2 ? 1 : 0.3);
            for (int start = 0; start < n; start += batch)
            {
                Array.Clear(grad);
                int end = Math.Min(n, start + batch);
                for (int k = start; k < end; k++)
                {
                    int j = order[k];
                    var f = features[j];
                    for (int i = 0; i < _inputs; i++) { x[i] = (f[i] - Mean[i]) * Scale[i]; }
                    double score = B2;
                    for (int h = 0; h < _hidden; h++)
                    {
                        double a = B1[h];
                        for (int i = 0; i < _inputs; i++) { a += W1[h * _inputs + i] * x[i]; }
                        hidden[h] = a > 0 ? a : 0;
                        score += hidden[h] * W2[h];
                    }

                    bool y = labels[j];
                    double p = 1 / (1 + Math.Exp(-score));
                    // Unweighted: the network learns the real odds, so a score of 0 is an even chance.
                    loss += -Math.Log(Math.Max(1e-12, y ? p : 1 - p));
                    double g = p - (y ? 1 : 0);
                    int o = W1.Length + B1.Length;
                    for (int h = 0; h < _hidden; h++)
                    {
                        grad[o + h] += g * hidden[h];
                        if (hidden[h] > 0)
                        {
                            double gh = g * W2[h];
                            grad[W1.Length + h] += gh;
                            for (int i = 0; i < _inputs; i++) { grad[h * _inputs + i] += gh * x[i]; }
                        }
                    }

                    grad[^1] += g;
                }

                for (int i = 0; i < grad.Length; i++) { grad[i] /= end - start; }
                adam.Step(this, grad, lr);
            }

            log.WriteLine($"  epoch {epoch + 1,2}: loss {loss / n:F4}");
        }
    }

    private void Standardise(List<float[]> features)
    {
        int n = features.Count;
        for (int i = 0; i < _inputs; i++)
        {
            double sum = 0, sq = 0;
            foreach (var f in features) { sum += f[i]; sq += (double)f[i] * f[i]; }
            Mean[i] = sum / n;
            Scale[i] = 1 / Math.Sqrt(Math.Max(1e-6, sq / n - Mean[i] * Mean[i]));
        }
    }

    private static void Shuffle(int[] a, Random rng)
    {
        for (int i = a.Length - 1; i > 0; i--)
        {
            int j = rng.Next(i + 1);
            (a[i], a[j]) = (a[j], a[i]);
        }
    }

    private static double Gaussian(Random rng) =>
        Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    /// <summary>Adam over the network's parameters laid out as W1, B1, W2, B2.</summary>
    private sealed class Adam(int size)
    {
        private readonly double[] _m = new double[size], _v = new double[size];
        private int _t;
        public int Size => size;

        public void Step(Network net, double[] grad, double rate)
        {
            _t++;
            double c1 = 1 - Math.Pow(0.9, _t), c2 = 1 - Math.Pow(0.999, _t);
            for (int i = 0; i < size; i++)
            {
                _m[i] = 0.9 * _m[i] + 0.1 * grad[i];
                _v[i] = 0.999 * _v[i] + 0.001 * grad[i] * grad[i];
                double step = rate * (_m[i] / c1) / (Math.Sqrt(_v[i] / c2) + 1e-8);
                int w1 = net.W1.Length, b1 = net.B1.Length, w2 = net.W2.Length;
                if (i < w1) { net.W1[i] -= step; }
                else if (i < w1 + b1) { net.B1[i - w1] -= step; }
                else if (i < w1 + b1 + w2) { net.W2[i - w1 - b1] -= step; }
                else { net.B2 -= step; }
            }
        }
    }
}
