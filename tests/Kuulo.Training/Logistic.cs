namespace Kuulo.Training;

/// <summary>
/// Logistic regression fitted by full-batch gradient descent on standardised inputs with a little L2, then folded
/// back to the raw inputs: <see cref="Bias"/> + Σ <see cref="Weights"/>·x is the log-odds. A few inputs and a
/// thousand examples need nothing cleverer; no randomness, so the same data give the same weights.
/// </summary>
public sealed class Logistic
{
    private const int Steps = 3000;
    private const double Rate = 0.1;
    private const double L2 = 0.01;

    private Logistic(double[] weights, double bias)
    {
        Weights = weights;
        Bias = bias;
    }

    public double[] Weights { get; }
    public double Bias { get; }

    public static Logistic Fit(IReadOnlyList<float[]> inputs, IReadOnlyList<bool> labels)
    {
        int n = inputs.Count, d = inputs[0].Length;
        var mean = new double[d];
        var scale = new double[d];
        for (int j = 0; j < d; j++)
        {
            mean[j] = inputs.Average(x => x[j]);
            double sd = Math.Sqrt(inputs.Average(x => (x[j] - mean[j]) * (x[j] - mean[j])));
            scale[j] = sd > 1e-9 ? 1 / sd : 0;
        }

        var z = inputs.Select(x => x.Select((v, j) => (v - mean[j]) * scale[j]).ToArray()).ToArray();
        var w = new double[d];
        double b = 0;
        var grad = new double[d];
        for (int step = 0; step < Steps; step++)
        {
            Array.Clear(grad);
            double gradB = 0;
            for (int i = 0; i < n; i++)
            {
                double s = b;
                for (int j = 0; j < d; j++) { s += w[j] * z[i][j]; }
                double error = 1 / (1 + Math.Exp(-s)) - (labels[i] ? 1 : 0);
                gradB += error;
                for (int j = 0; j < d; j++) { grad[j] += error * z[i][j]; }
            }

            b -= Rate * gradB / n;
            for (int j = 0; j < d; j++) { w[j] -= Rate * (grad[j] / n + L2 * w[j]); }
        }

        var weights = new double[d];
        double bias = b;
        for (int j = 0; j < d; j++)
        {
            weights[j] = w[j] * scale[j];
            bias -= weights[j] * mean[j];
        }

        return new Logistic(weights, bias);
    }
}
