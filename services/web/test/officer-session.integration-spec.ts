import { eventually } from '@aduan/testing';
import type { Page, Request as PlaywrightRequest, Response as PlaywrightResponse } from 'playwright-core';
import { createOfficers, signInOnConsole, signedInAs, type OfficerAccount } from './support/officers';
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
  /**
   * Reloads the queue; answers the status of every queue request the click made, in order. A
   * request still in flight from before the click (the page's first load) is not counted.
   */
  async function reloadQueue(): Promise<number[]> {
    const statuses: number[] = [];
    const made = new Set<PlaywrightRequest>();
    const asked = (r: PlaywrightRequest) => {
      if (r.url().includes('/v1/officer/queue')) made.add(r);
    };
    const seen = (r: PlaywrightResponse) => {
      if (made.has(r.request())) statuses.push(r.status());
    };
    page.on('request', asked);
    page.on('response', seen);
    try {
      const answered = page.waitForResponse((r) => made.has(r.request()) && r.status() === 200);
      await page.getByRole('button', { name: 'Muat ulang' }).click();
      await answered;
      return statuses;
    } finally {
      page.off('request', asked);
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
    await signedInAs(page, CRM.displayName);
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

  it('renews the access token by itself shortly before it runs out, with nothing clicked', async () => {
    const before = (await stored())!;
    // 33 s left: the renewal is due 30 s before the end, so about three seconds after the load.
    await store({ ...before, expiresAt: new Date(Date.now() + 33_000).toISOString() });
    await page.reload();
    await signedInAs(page, CRM.displayName);
    await eventually(async () => expect((await stored())?.refreshToken).not.toBe(before.refreshToken), {
      timeoutMs: 15_000,
    });
    expect(Date.parse((await stored())!.expiresAt)).toBeGreaterThan(Date.now() + 60_000);
    expect(await reloadQueue()).toEqual([200]);
  });

  it('ends the session on the server when the officer signs out', async () => {
    const before = (await stored())!;
    await page.getByRole('button', { name: 'Keluar' }).click();
    await page.getByLabel('Nama pengguna').waitFor();
    expect(await stored()).toBeNull();
    expect((await refreshWith(before.refreshToken)).status).toBe(401);
  });

  it('ends every session of the officer, in every browser, with "Akhiri semua sesi"', async () => {
    await signInOnConsole(page, stack.webUrl, CRM);
    const elsewhere = await stack.browser.newPage({
      viewport: { width: 1280, height: 900 },
      locale: 'id-ID',
    });
    try {
      await signInOnConsole(elsewhere, stack.webUrl, CRM);
      const theirs = JSON.parse(
        (await elsewhere.evaluate(`sessionStorage.getItem('${KEY}')`)) as string,
      ) as StoredSession;
      await page.getByRole('button', { name: 'Akhiri semua sesi' }).click();
      await page.getByLabel('Nama pengguna').waitFor();
      expect(await stored()).toBeNull();
      // The other browser's next request is refused, its refresh too: it shows the sign-in form.
      await elsewhere.getByRole('button', { name: 'Muat ulang' }).click();
      await elsewhere.getByLabel('Nama pengguna').waitFor();
      expect((await refreshWith(theirs.refreshToken)).status).toBe(401);
    } finally {
      await elsewhere.close();
    }
  });
});
