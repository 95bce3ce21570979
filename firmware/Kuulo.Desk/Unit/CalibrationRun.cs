using Kuulo.Core;
using Kuulo.Core.Protocol;

namespace Kuulo.Desk.Unit;

/// <summary>
/// The desk's side of a calibration check: listens for <see cref="CalibrationReport.DurationMs"/> of audio beside
/// normal detection, reading the engine's levels (nothing here changes what it detects), then says what it heard.
/// </summary>
public sealed class CalibrationRun(long commandId)
{
    private int _ms;
    private double _agentSpeechDb;
    private int _agentSpeechMs;
    private double _customerSpeechDb;
    private int _customerSpeechMs;

    /// <summary>Takes the frame the engine just processed; true when the window is full.</summary>
    public bool Add(DeskEngine engine)
    {
        _ms += engine.FrameMs;
        if (engine.AgentSpeech)
        {
            _agentSpeechDb += engine.AgentLevelDb * engine.FrameMs;
            _agentSpeechMs += engine.FrameMs;
        }

        if (engine.CustomerSpeech)
        {
            _customerSpeechDb += engine.CustomerLevelDb * engine.FrameMs;
            _customerSpeechMs += engine.FrameMs;
        }

        return _ms >= CalibrationReport.DurationMs;
    }

    public CalibrationReport Report(DeskEngine engine) => new()
    {
        CommandId = commandId, MeasuredMs = _ms,
        AgentFloorDb = Db(engine.AgentFloorDb), CustomerFloorDb = Db(engine.CustomerFloorDb),
        AgentSpeechDb = _agentSpeechMs > 0 ? Db(_agentSpeechDb / _agentSpeechMs) : CalibrationReport.NoLevel, AgentSpeechMs = _agentSpeechMs,
        CustomerSpeechDb = _customerSpeechMs > 0 ? Db(_customerSpeechDb / _customerSpeechMs) : CalibrationReport.NoLevel, CustomerSpeechMs = _customerSpeechMs,
        EchoLeakDb = Db(engine.EchoGainDb),
    };

    private static int Db(double value) => (int)Math.Clamp(Math.Round(value), -200, 200);
}
