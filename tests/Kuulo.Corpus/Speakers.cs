namespace Kuulo.Corpus;

/// <summary>
/// One recorded person, whatever folders their prompts are in (en_US and es_MX Allison are one speaker), and the
/// side of the speaker-disjoint split they belong to.
/// </summary>
public sealed record Speaker(string Name, char Gender, string Split, string Package, string[] Folders);

/// <summary>
/// The speaker table and the split, in one place. Detection is tuned on <c>tune</c> voices and reported on
/// <c>heldout</c> voices that no tuning has heard; every voice in a conversation, background ones included, comes
/// from the conversation's side. Debian ships one male voice (Carlo); it is held out, so the held-out figures say
/// how detection does on a voice type it was never tuned on.
/// </summary>
public static class Speakers
{
    public const string Tune = "tune";
    public const string Heldout = "heldout";
    public static readonly string[] Splits = { Tune, Heldout };

    public static readonly Speaker[] All =
    {
        new("Allison", 'f', Tune, "asterisk-core-sounds-en-wav, asterisk-core-sounds-es-wav", new[] { "en_US_f_Allison", "es_MX_f_Allison" }),
        new("IvrvoiceRU", 'f', Tune, "asterisk-core-sounds-ru-wav", new[] { "ru_RU_f_IvrvoiceRU" }),
        new("Armelle", 'f', Tune, "asterisk-prompt-fr-armelle", new[] { "fr" }),
        new("Menardi", 'f', Tune, "asterisk-prompt-it-menardi-wav", new[] { "it_IT_f_Menardi" }),
        new("June", 'f', Heldout, "asterisk-core-sounds-fr-wav", new[] { "fr_CA_f_June" }),
        new("July", 'f', Heldout, "asterisk-prompt-es-co", new[] { "es" }),
        new("Carlo", 'm', Heldout, "asterisk-core-sounds-it-wav", new[] { "it_IT_m_Carlo" }),
    };

    public static Speaker[] In(string split) => All.Where(s => s.Split == split).ToArray();

    public static Speaker Named(string name) => All.Single(s => s.Name == name);
}
