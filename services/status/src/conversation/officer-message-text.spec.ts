import { OFFICER_TEXT_MAX, plainOfficerText, renderOfficerMessage } from './officer-message-text';

describe("an officer's text to a citizen", () => {
  it('keeps what it says and drops what hides or reorders it', () => {
    expect(
      plainOfficerText(
        '  Di mana?\r\nSisi\u200b utara\u202e?\t(foto)\u0007  \r\n\r\n\r\n\r\nTerima kasih \u2066x\u2069 ',
      ),
    ).toBe('Di mana?\nSisi utara? (foto)\n\nTerima kasih x');
    expect(plainOfficerText('<b>tebal</b> & "kutip"')).toBe('<b>tebal</b> & "kutip"');
  });

  it('frames the longest text so that it fits whole in a WhatsApp template parameter, tracking code included', () => {
    for (const kind of ['question', 'message'] as const) {
      const text = 'kata '.repeat(OFFICER_TEXT_MAX / 5).trim();
      const framed = renderOfficerMessage(kind, 'T2ZHP-GWN4S', text);
      // The WhatsApp adapter folds whitespace and keeps 900 characters of a template parameter.
      const asTemplate = framed.replace(/\s+/g, ' ').trim();
      expect(asTemplate.length).toBeLessThanOrEqual(900);
      expect(framed).toContain(text);
      expect(framed).toContain('T2ZHP-GWN4S');
    }
  });
});
