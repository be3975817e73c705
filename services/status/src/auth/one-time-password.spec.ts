import { oneTimePassword } from './one-time-password';

describe('oneTimePassword', () => {
  it('gives three groups of four unambiguous characters, different every time', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = oneTimePassword();
      expect(password).toMatch(/^[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}-[a-hjkmnp-z2-9]{4}$/);
      seen.add(password);
    }
    expect(seen.size).toBe(200);
  });
});
