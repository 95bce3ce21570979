namespace Kuulo.Desk.Audio;

/// <summary>A WAV file the desk unit cannot use; the message names the file and the problem.</summary>
public sealed class WavFormatException(string message) : Exception(message);
