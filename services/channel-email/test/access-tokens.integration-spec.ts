import { createServer } from 'node:net';
import { capturedLogger, eventually } from '@aduan/testing';
import { AccessTokens } from '../src/oauth2/access-tokens';
import { oauth2ClientOf } from '../src/oauth2/oauth2-client';
import { startTokenServer, type TokenServer } from './token-server';

/** Renewing the mailbox's access token against a local Google- and Microsoft-shaped token endpoint. */
describe('OAuth2 access tokens', () => {
  let auth: TokenServer;
  const open: AccessTokens[] = [];

  function tokens(provider: 'google' | 'microsoft', tokenUrl: string): AccessTokens {
    const client = oauth2ClientOf('channel-email', {
      IMAP_URL: 'imaps://pengaduan@imap.example:993/INBOX',
      EMAIL_OAUTH2_PROVIDER: provider,
      EMAIL_OAUTH2_CLIENT_ID: auth.clientId,
      EMAIL_OAUTH2_CLIENT_SECRET: auth.clientSecret,
      EMAIL_OAUTH2_REFRESH_TOKEN: auth.refreshToken,
      EMAIL_OAUTH2_TOKEN_URL: tokenUrl,
    })!;
    const t = new AccessTokens(client, { log: capturedLogger('t').logger, maxBackoffMs: 400 });
    open.push(t);
    return t;
  }

  beforeEach(async () => {
    auth = await startTokenServer('pengaduan');
  });
  afterEach(async () => {
    for (const t of open.splice(0)) t.stop();
    await auth.stop();
  });

  it("renews at Microsoft's tenant endpoint with Outlook's scopes, then with the refresh token it handed back", async () => {
    auth.setRotating(true);
    const t = tokens('microsoft', auth.microsoftTokenUrl('jakarta.go.id'));
    const first = await t.get();
    expect(await t.get()).toBe(first); // not renewed while most of its lifetime is ahead
    t.refused(first);
    const second = await t.get();

    expect([first, second]).toEqual(auth.issued);
    expect(auth.grants.map((g) => g.path)).toEqual([
      '/jakarta.go.id/oauth2/v2.0/token',
      '/jakarta.go.id/oauth2/v2.0/token',
    ]);
    expect(auth.grants[0]!.form).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: auth.refreshToken,
      scope: expect.stringContaining('https://outlook.office.com/IMAP.AccessAsUser.All'),
    });
    expect(auth.grants[1]!.form['refresh_token']).toBe(auth.rotated[0]);
  });

  it('renews by itself before the token runs out', async () => {
    auth.setLifetime(2);
    const t = tokens('google', auth.googleTokenUrl);
    const first = await t.get();
    await eventually(() => expect(auth.issued.length).toBeGreaterThanOrEqual(2), { timeoutMs: 5000 });
    // Renewed while the first was still good.
    expect(auth.active('pengaduan', first)).toBe(true);
    expect(await t.get()).toBe(auth.issued.at(-1));
  });

  it('while refused: fails readiness with the reason, backs off, still hands out a token not yet run out, and recovers by itself', async () => {
    auth.setLifetime(3);
    const t = tokens('google', auth.googleTokenUrl);
    const good = await t.get();
    const runsOutAt = Date.now() + 3000;
    auth.setRefusing(true);
    // The renewal at 2.25 s is refused.
    await eventually(() => expect(() => t.assertRenewable()).toThrow(/invalid_grant/), { timeoutMs: 5000 });
    expect(() => t.assertRenewable()).toThrow(
      'OAuth2 access token could not be renewed: token endpoint answered 400 invalid_grant (Token has been expired or revoked.)',
    );
    expect(Date.now()).toBeLessThan(runsOutAt);
    expect(await t.get()).toBe(good);

    // Once it has run out, within the backoff a caller gets the failure at once, without asking again.
    await new Promise((r) => setTimeout(r, runsOutAt - Date.now() + 50));
    const asked = auth.grants.length;
    await expect(Promise.all([t.get(), t.get(), t.get()])).rejects.toThrow(/invalid_grant/);
    expect(auth.grants.length - asked).toBeLessThanOrEqual(1);

    auth.setRefusing(false);
    await eventually(() => expect(() => t.assertRenewable()).not.toThrow(), { timeoutMs: 5000 });
    expect(auth.active('pengaduan', await t.get())).toBe(true);
  });

  it('refuses what a broken or hostile token endpoint answers, naming why and never a secret', async () => {
    const t = tokens('google', auth.googleTokenUrl);
    const answers: Array<[number, unknown, RegExp]> = [
      [200, { token_type: 'Bearer', expires_in: 3600 }, /without a usable access_token/],
      [200, { access_token: 'a b\r\nc', expires_in: 3600 }, /without a usable access_token/],
      [200, { access_token: 'x'.repeat(20_000), expires_in: 3600 }, /without a usable access_token/],
      [200, { access_token: 'ok', token_type: 'mac', expires_in: 3600 }, /a mac token, not a bearer token/],
      [200, { access_token: 'ok', expires_in: -5 }, /without a valid expires_in/],
      [503, '<html>Service Unavailable</html>', /answered 503 no error code/],
      [
        400,
        { error: 'invalid_request', error_description: `bad refresh_token ${auth.refreshToken}` },
        /answered 400 invalid_request \(bad refresh_token \*\*\*\)/,
      ],
    ];
    for (const [status, body, reason] of answers) {
      auth.setAnswer({ status, body: typeof body === 'string' ? body : JSON.stringify(body) });
      t.refused(''); // ask again now, not after the backoff
      await expect(t.get()).rejects.toThrow(reason);
      expect(() => t.assertRenewable()).toThrow(reason);
    }
    // Nothing listens there any more.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const { port } = closed.address() as { port: number };
    await new Promise((resolve) => closed.close(resolve));
    await expect(tokens('google', `http://127.0.0.1:${port}/token`).get()).rejects.toThrow(
      /token endpoint unreachable \(ECONNREFUSED\)/,
    );
  });
});
