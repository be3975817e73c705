import type { Page } from 'playwright-core';
import { createOfficers, signInOnConsole, type OfficerAccount } from './support/officers';
import { startStack, type Stack } from './support/stack';

const CRM: OfficerAccount = {
  username: 'dewi.crm',
  password: 'dewi-password-123',
  displayName: 'Dewi (CRM)',
  role: 'crm_officer',
};

const KEY = 'aduan.officer.session';

interface StoredSession {
  accessToken: string;
  expiresAt: string;
  refreshToken: string;
  refreshExpiresAt: string;
}

/**
 * Access tokens live 5 minutes (ADR 0057): the console refreshes them with the refresh token
 * before they run out, once more when the server refuses one, and ends the server's session on
 * sign-out. The stored expiry is moved back instead of waiting five minutes.
 */
describe('the officer console keeps its session with refresh tokens, in Chromium', () => {
  let stack: Stack;
  let page: Page;

  beforeAll(async () => {
    stack = await startStack('web_session');
    await createOfficers(stack.status.url, [CRM]);
    page = await stack.browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
    await signInOnConsole(page, stack.webUrl, CRM);
  });
  afterAll(async () => {
    await page?.close();
    await stack?.stop();
  });

  // Run in the page, where sessionStorage is the console's own.
  const stored = async () =>
    (await page.evaluate(`JSON.parse(sessionStorage.getItem('${KEY}') ?? 'null')`)) as StoredSession | null;
  const store = (session: StoredSession) =>
    page.evaluate(`sessionStorage.setItem('${KEY}', ${JSON.stringify(JSON.stringify(session))})`);
  const refreshWith = (refreshToken: string) =>
    fetch(`${stack.status.url}/v1/officer/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken }),
    });
  /** Reloads the queue; answers the status of every queue request it made, in order. */
  async function reloadQueue(): Promise<number[]> {
    const statuses: number[] = [];
    const seen = (r: { url(): string; status(): number }) => {
      if (r.url().includes('/v1/officer/queue')) statuses.push(r.status());
    };
    page.on('response', seen);
    try {
      const answered = page.waitForResponse(
        (r) => r.url().includes('/v1/officer/queue') && r.status() === 200,
      );
      await page.getByRole('button', { name: 'Muat ulang' }).click();
      await answered;
      return statuses;
    } finally {
      page.off('response', seen);
    }
  }

  it('refreshes an access token about to run out, and keeps working', async () => {
    const before = (await stored())!;
    await store({ ...before, expiresAt: new Date(Date.now() + 5_000).toISOString() });
    expect(await reloadQueue()).toEqual([200]); // refreshed before asking, so never refused
    const after = (await stored())!;
    expect(after.refreshToken).not.toBe(before.refreshToken);
    expect(Date.parse(after.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
    await page.getByText(CRM.displayName).waitFor();
    // The refresh token it traded is used up.
    expect((await refreshWith(before.refreshToken)).status).toBe(401);
  });

  it('signs in again after a reused refresh token ended the session', async () => {
    // The step above sent a used refresh token: the server ended that whole session.
    await page.getByRole('button', { name: 'Muat ulang' }).click();
    await page.getByLabel('Nama pengguna').waitFor();
    expect(await stored()).toBeNull();
    await signInOnConsole(page, stack.webUrl, CRM);
  });

  it('refreshes and retries once when the server refuses a token that looked fresh', async () => {
    const before = (await stored())!;
    await store({ ...before, accessToken: `${before.accessToken.slice(0, -4)}AAAA` });
    expect(await reloadQueue()).toEqual([401, 200]);
    expect((await stored())!.refreshToken).not.toBe(before.refreshToken);
  });

  it('ends the session on the server when the officer signs out', async () => {
    const before = (await stored())!;
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByLabel('Nama pengguna').waitFor();
    expect(await stored()).toBeNull();
    expect((await refreshWith(before.refreshToken)).status).toBe(401);
  });
});
