import { formParams, twilioSignature, verifyTwilioSignature } from './twilio-signature';

// Twilio's published example (security/signature_validation snippet).
const url = 'https://mycompany.com/myapp.php?foo=1&bar=2';
const params = {
  CallSid: 'CA1234567890ABCDE',
  Caller: '+14158675310',
  Digits: '1234',
  From: '+14158675310',
  To: '+18005551212',
};
const published = 'GvWf1cFY/Q7PnoempGyD5oXAezc=';

describe('X-Twilio-Signature', () => {
  it('reproduces the signature Twilio publishes', () => {
    expect(twilioSignature(url, params, '12345')).toBe(published);
    expect(verifyTwilioSignature(url, params, published, '12345')).toEqual({ ok: true });
  });

  it('refuses a changed parameter, another token, or another URL', () => {
    expect(verifyTwilioSignature(url, { ...params, Digits: '9999' }, published, '12345').ok).toBe(false);
    expect(verifyTwilioSignature(url, params, published, '54321').ok).toBe(false);
    expect(verifyTwilioSignature('https://mycompany.com/other.php', params, published, '12345').ok).toBe(
      false,
    );
  });

  it('accepts the URL signed with its default port spelled out', () => {
    const withPort = twilioSignature('https://mycompany.com:443/myapp.php?foo=1&bar=2', params, '12345');
    expect(verifyTwilioSignature(url, params, withPort, '12345').ok).toBe(true);
  });

  it('names a missing header', () => {
    expect(verifyTwilioSignature(url, params, undefined, '12345')).toEqual({
      ok: false,
      reason: 'X-Twilio-Signature header is missing',
    });
  });

  it('keeps every value of a repeated form field', () => {
    expect(formParams('A=1&B=x%20y&A=2')).toEqual({ A: ['1', '2'], B: 'x y' });
  });
});
