import type { Page } from 'playwright-core';
import { ADMIN } from './stack';

export interface OfficerAccount {
  username: string;
  password: string;
  displayName: string;
  role: 'admin' | 'crm_officer' | 'unit_officer' | 'validator';
  unit?: string;
}

async function json<T>(res: Response): Promise<T> {
  const body = (await res.json()) as T;
  if (!res.ok) throw new Error(`${res.status} ${JSON.stringify(body)}`);
  return body;
}

export async function signInApi(statusUrl: string, username: string, password: string): Promise<string> {
  const res = await fetch(`${statusUrl}/v1/officer/auth/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  return (await json<{ accessToken: string }>(res)).accessToken;
}

/** Officers are created the way an operator does it: the bootstrap admin signs in and adds them. */
export async function createOfficers(statusUrl: string, accounts: OfficerAccount[]): Promise<string> {
  const token = await signInApi(statusUrl, ADMIN.username, ADMIN.password);
  for (const account of accounts) {
    await json(
      await fetch(`${statusUrl}/v1/officer/users`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${token}` },
        body: JSON.stringify(account),
      }),
    );
  }
  return token;
}

/** Opens the console and signs in on its own form, as an officer does. */
export async function signInOnConsole(page: Page, webUrl: string, account: OfficerAccount): Promise<void> {
  await page.goto(`${webUrl}/console/`);
  await page.getByLabel('Nama pengguna').fill(account.username);
  await page.getByLabel('Kata sandi').fill(account.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await signedInAs(page, account.displayName);
}

/** Waits for the header to name the officer: a queue badge may carry the same name, so only the header counts. */
export async function signedInAs(page: Page, displayName: string): Promise<void> {
  await page.locator('#who', { hasText: displayName }).waitFor();
}
