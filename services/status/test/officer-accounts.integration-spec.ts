import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { officerTokenVerifier } from '@aduan/platform';
import { capturedLogger } from '@aduan/testing';
import { SignJWT } from 'jose';
import type { StatusService } from '../src/app';
import { ADMIN, createStack, intakeRouted, OfficerClient, start, TestClock, type Stack } from './harness';

interface Tokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: string;
  refreshExpiresAt: string;
}

describe('officer accounts: sessions, refresh, disabling, signing keys and escalation grants', () => {
  const { logger } = capturedLogger('status');
  // The harness's reports are received 2026-01-05 03:22 UTC and routed to DSDA.
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;

  beforeAll(async () => {
    stack = await createStack('status_accounts', logger);
    service = await start(stack, logger, clock);
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  async function post(
    path: string,
    body: unknown,
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const res = await fetch(`${service.base}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : {}) as Record<string, unknown> };
  }
  const signIn = async (username: string) => {
    const res = await post('/v1/officer/auth/sign-in', { username, password: `${username}-password-1` });
    expect(res.status).toBe(200);
    return res.body as unknown as Tokens;
  };
  const refresh = (refreshToken: string) => post('/v1/officer/auth/refresh', { refreshToken });
  const me = async (accessToken: string) =>
    (await new OfficerClient(service.base, accessToken).get('/v1/officer/me')).status;
  /** What the router and the channel services run: the public keys from the JWKS URL only. */
  const elsewhere = (at: () => Date = clock.read) =>
    officerTokenVerifier({ jwksUrl: `${service.base}/.well-known/jwks.json`, now: at })!;

  it('serves the public key as a JWKS, which the other services verify status tokens with', async () => {
    const res = await fetch(`${service.base}/.well-known/jwks.json`);
    expect(res.status).toBe(200);
    const jwks = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toEqual([
      expect.objectContaining({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' }),
    ]);
    expect(jwks.keys[0]).not.toHaveProperty('d'); // never the private half
    await admin.createOfficer('crm-jwks', 'crm_officer');
    const { accessToken } = await signIn('crm-jwks');
    await expect(elsewhere().verify(accessToken)).resolves.toEqual({
      sub: expect.any(String),
      role: 'crm_officer',
    });

    // A token of the right shape signed by another key is refused here and there.
    const { privateKey } = generateKeyPairSync('ed25519');
    const forged = await new SignJWT({ role: 'admin', sid: randomUUID() })
      .setProtectedHeader({ alg: 'EdDSA', kid: jwks.keys[0]!['kid'] as string })
      .setIssuer('aduan-status')
      .setSubject(randomUUID())
      .setIssuedAt(Math.floor(clock.now.getTime() / 1000))
      .setExpirationTime(Math.floor(clock.now.getTime() / 1000) + 300)
      .sign(privateKey);
    expect(await me(forged)).toBe(401);
    await expect(elsewhere().verify(forged)).rejects.toThrow(/signature/);
  });

  it('keeps the signing key across a restart, so tokens issued before still verify', async () => {
    const { accessToken } = await signIn('crm-jwks');
    await service.stop();
    service = await start(stack, logger, clock);
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    expect(await me(accessToken)).toBe(200);
  });

  it('rotates refresh tokens, and a reused one ends the whole session at once', async () => {
    await admin.createOfficer('crm-refresh', 'crm_officer');
    const first = await signIn('crm-refresh');
    const second = await refresh(first.refreshToken);
    expect(second.status).toBe(200);
    const next = second.body as unknown as Tokens;
    expect(next.refreshToken).not.toBe(first.refreshToken);
    expect(await me(next.accessToken)).toBe(200);
    // Kept only hashed: the token itself is nowhere in the database.
    const stored = (await service.db.query(
      'SELECT count(*)::int AS n FROM officer_refresh_token WHERE token_hash IN ($1, $2)',
      [first.refreshToken, next.refreshToken],
    )) as Array<{ n: number }>;
    expect(stored[0]!.n).toBe(0);

    // The first one again: only a stolen copy is presented twice.
    const reused = await refresh(first.refreshToken);
    expect(reused).toMatchObject({ status: 401, body: { message: expect.stringMatching(/already used/) } });
    expect((await refresh(next.refreshToken)).status).toBe(401);
    expect(await me(next.accessToken)).toBe(401);
    expect(await me(first.accessToken)).toBe(401);
    const audit = (await service.db.query(
      `SELECT a.action, a.outcome FROM audit_log a JOIN officer o ON o.id = a.officer_id WHERE o.username = 'crm-refresh'`,
    )) as Array<{ action: string; outcome: string }>;
    expect(audit).toEqual([{ action: 'refresh', outcome: 'denied' }]);
    // A new sign-in is a new session and works.
    expect(await me((await signIn('crm-refresh')).accessToken)).toBe(200);
  });

  it('ends a session on sign-out, and every session on sign-out everywhere', async () => {
    await admin.createOfficer('crm-out', 'crm_officer');
    const phone = await signIn('crm-out');
    const laptop = await signIn('crm-out');
    const tablet = await signIn('crm-out');
    const out = await new OfficerClient(service.base, phone.accessToken).post('/v1/officer/auth/sign-out');
    expect(out.status).toBe(204);
    expect(await me(phone.accessToken)).toBe(401);
    expect((await refresh(phone.refreshToken)).status).toBe(401);
    expect(await me(laptop.accessToken)).toBe(200);
    const everywhere = await new OfficerClient(service.base, laptop.accessToken).post(
      '/v1/officer/auth/sign-out-everywhere',
    );
    expect(everywhere.status).toBe(204);
    for (const s of [laptop, tablet]) {
      expect(await me(s.accessToken)).toBe(401);
      expect((await refresh(s.refreshToken)).status).toBe(401);
    }
  });

  it('disables an officer: refused at once here, within the 5-minute token life elsewhere, no sign-in', async () => {
    const officer = await admin.createOfficer('crm-gone', 'crm_officer');
    const session = await signIn('crm-gone');
    expect(await me(session.accessToken)).toBe(200);
    // Not an admin: refused, and nothing changes.
    expect((await officer.post(`/v1/officer/users/${officer.id}/disable`)).status).toBe(403);

    const disabled = await admin.post(`/v1/officer/users/${officer.id}/disable`);
    expect(disabled).toMatchObject({ status: 200, body: { username: 'crm-gone', disabled: true } });
    expect(await me(session.accessToken)).toBe(401);
    expect(await me(officer.token)).toBe(401);
    expect((await refresh(session.refreshToken)).status).toBe(401);
    const again = await post('/v1/officer/auth/sign-in', {
      username: 'crm-gone',
      password: 'crm-gone-password-1',
    });
    expect(again).toMatchObject({ status: 403, body: { code: 'ACCOUNT_DISABLED' } });
    // A wrong password learns nothing about the account.
    const wrong = await post('/v1/officer/auth/sign-in', {
      username: 'crm-gone',
      password: 'not-the-password',
    });
    expect(wrong).toMatchObject({ status: 401, body: { code: 'INVALID_CREDENTIALS' } });

    // The other services check signatures only: the token works there until it expires, 5 minutes after issue.
    const { exp, iat } = JSON.parse(
      Buffer.from(session.accessToken.split('.')[1]!, 'base64url').toString(),
    ) as {
      exp: number;
      iat: number;
    };
    expect(exp - iat).toBe(300);
    await expect(elsewhere().verify(session.accessToken)).resolves.toMatchObject({ role: 'crm_officer' });
    const later = new Date(clock.now.getTime() + 301_000);
    await expect(elsewhere(() => later).verify(session.accessToken)).rejects.toThrow(/exp/);

    const audit = (await service.db.query(
      `SELECT action, outcome FROM audit_log WHERE detail->>'officer' = $1 ORDER BY id`,
      [officer.id],
    )) as Array<{ action: string; outcome: string }>;
    expect(audit).toEqual([
      { action: 'create-user', outcome: 'granted' },
      { action: 'disable-user', outcome: 'granted' },
    ]);

    // Enabled again, the account signs in anew; the old sessions stay ended.
    expect(await admin.post(`/v1/officer/users/${officer.id}/enable`)).toMatchObject({
      status: 200,
      body: { disabled: false },
    });
    expect(await me(session.accessToken)).toBe(401);
    expect(await me((await signIn('crm-gone')).accessToken)).toBe(200);
  });

  it('lets the kecamatan a report is escalated to open and act on it, audited', async () => {
    await admin.createOfficer('senen-kec', 'unit_officer', '31.71.03');
    const report = await intakeRouted(stack, service);
    let senen = await OfficerClient.signIn(service.base, 'senen-kec', 'senen-kec-password-1');
    expect((await senen.get(`/v1/officer/reports/${report.reportId}`)).status).toBe(403);

    // The coordination clock (6 working hours) runs out; the first escalation goes to the kecamatan.
    clock.now = new Date('2026-01-05T09:30:00Z');
    expect(await service.scheduler.tick()).toBeGreaterThanOrEqual(1);
    senen = await OfficerClient.signIn(service.base, 'senen-kec', 'senen-kec-password-1');
    const detail = await senen.get<{ version: number; state: string }>(
      `/v1/officer/reports/${report.reportId}`,
    );
    expect(detail.status).toBe(200);
    const queue = await senen.get<{ items: Array<{ id: string }> }>('/v1/officer/queue');
    expect(queue.body.items.map((r) => r.id)).toContain(report.reportId);
    const started = await senen.post(`/v1/officer/reports/${report.reportId}/start`, {
      version: detail.body.version,
    });
    expect(started).toMatchObject({ status: 200, body: { state: 'IN_PROGRESS' } });

    const audit = (await service.db.query(
      `SELECT action, outcome, detail->>'via' AS via FROM audit_log
        WHERE report_id = $1 AND unit_code = '31.71.03' ORDER BY id`,
      [report.reportId],
    )) as Array<{ action: string; outcome: string; via: string | null }>;
    expect(audit).toEqual(
      expect.arrayContaining([
        { action: 'read', outcome: 'denied', via: null },
        { action: 'read', outcome: 'granted', via: 'escalation' },
        { action: 'start', outcome: 'granted', via: 'escalation' },
      ]),
    );
    // Another kecamatan's officer still gets nothing.
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    await admin.createOfficer('gambir-kec', 'unit_officer', '31.71.01');
    const gambir = await OfficerClient.signIn(service.base, 'gambir-kec', 'gambir-kec-password-1');
    expect((await gambir.get(`/v1/officer/reports/${report.reportId}`)).status).toBe(403);
  });
});
