using System.Diagnostics;
using System.Text;

namespace Kuulo.TestSupport;

/// <summary>A child process whose output is kept for failure messages and which is killed on dispose.</summary>
public sealed class ExternalProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ExternalProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public int Id => _process.Id;

    /// <summary>The most resident memory the process has had (VmHWM), in bytes.</summary>
    public long PeakResidentBytes()
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
    }

    public static ExternalProcess Start(string file, IEnumerable<string> args, IDictionary<string, string>? environment = null, string? user = null)
    {
        var info = new ProcessStartInfo
        {
            FileName = user == null ? file : "runuser",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (user != null)
        {
            foreach (var a in new[] { "-u", user, "--", file })
            {
                info.ArgumentList.Add(a);
            }
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {file}");
        return new ExternalProcess(process);
    }

    /// <summary>Runs a command to completion and fails with its output when it does not succeed.</summary>
    public static string Run(string file, IEnumerable<string> args, string? user = null)
    {
        using var p = Start(file, args, user: user);
        if (p._process.WaitForExit(60_000))
        {
            // The parameterless wait also drains the asynchronous output readers.
            p._process.WaitForExit();
        }

        if (!p._process.HasExited || p._process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed:\n{p.Output}");
        }

        return p.Output;
    }

    /// <summary>Waits for the process to end (killing it after the timeout) and returns its exit code.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (_process.WaitForExit(timeout))
        {
            // The parameterless wait also drains the asynchronous output readers.
            _process.WaitForExit();
            return _process.ExitCode;
        }

        Kill();
        return -1;
    }

    /// <summary>Kills the process abruptly, as a crash or power cut would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 200_000)
            {
                _output.AppendLine(line);
            }
        }
    }
}
