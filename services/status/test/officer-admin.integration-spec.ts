import { capturedLogger } from '@aduan/testing';
import type { StatusService } from '../src/app';
import { ADMIN, createStack, OfficerClient, start, TestClock, type Stack } from './harness';

interface SignedIn {
  accessToken: string;
  refreshToken: string;
  user: Record<string, unknown>;
}

describe('officer administration: role, unit, capacity and password reset', () => {
  const { logger } = capturedLogger('status');
  const clock = new TestClock(new Date('2026-01-05T04:00:00Z'));
  let stack: Stack;
  let service: StatusService & { base: string };
  let admin: OfficerClient;
  let adminId: string;

  beforeAll(async () => {
    stack = await createStack('status_officer_admin', logger);
    service = await start(stack, logger, clock);
    admin = await OfficerClient.signIn(service.base, ADMIN.username, ADMIN.password);
    adminId = (await admin.get<{ id: string }>('/v1/officer/me')).body.id;
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const signIn = async (body: Record<string, string>) => {
    const res = await fetch(`${service.base}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as SignedIn & { code?: string } };
  };
  const status = async (token: string) =>
    (await new OfficerClient(service.base, token).get('/v1/officer/me')).status;
  const audit = async (officerId: string) =>
    (await service.db.query(
      `SELECT action, outcome, detail FROM audit_log WHERE detail->>'officer' = $1 ORDER BY id`,
      [officerId],
    )) as Array<{ action: string; outcome: string; detail: Record<string, unknown> }>;

  it('changes capacity without ending sessions, and role or unit by ending them, audited', async () => {
    const officer = await admin.createOfficer('unit-mover', 'unit_officer', 'DSDA', 5);
    const capacity = await admin.call('PATCH', `/v1/officer/users/${officer.id}`, { capacity: 12 });
    expect(capacity).toMatchObject({ status: 200, body: { capacity: 12, unit: { code: 'DSDA' } } });
    expect(await status(officer.token)).toBe(200);

    const moved = await admin.call('PATCH', `/v1/officer/users/${officer.id}`, {
      unit: 'DBM',
      displayName: 'Unit Mover',
    });
    expect(moved).toMatchObject({
      status: 200,
      body: { unit: { code: 'DBM' }, displayName: 'Unit Mover', role: 'unit_officer' },
    });
    // Its token still names DSDA: the officer signs in again instead of working under the old unit.
    expect(await status(officer.token)).toBe(401);
    const again = await signIn({ username: 'unit-mover', password: 'unit-mover-password-1' });
    expect(again).toMatchObject({ status: 200, body: { user: { unit: { code: 'DBM' } } } });

    const promoted = await admin.call('PATCH', `/v1/officer/users/${officer.id}`, {
      role: 'crm_officer',
      unit: null,
    });
    expect(promoted).toMatchObject({ status: 200, body: { role: 'crm_officer', unit: null } });
    expect(await status(again.body.accessToken)).toBe(401);

    expect((await audit(officer.id)).map((a) => [a.action, a.detail['changed']])).toEqual([
      ['create-user', undefined],
      ['update-user', { capacity: { from: 5, to: 12 } }],
      [
        'update-user',
        { displayName: { from: 'unit-mover', to: 'Unit Mover' }, unit: { from: 'DSDA', to: 'DBM' } },
      ],
      ['update-user', { role: { from: 'unit_officer', to: 'crm_officer' }, unit: { from: 'DBM', to: null } }],
    ]);
  });

  it('refuses hostile or senseless changes by name, and changes nothing', async () => {
    const officer = await admin.createOfficer('unit-kept', 'unit_officer', 'DSDA', 5);
    const path = `/v1/officer/users/${officer.id}`;
    const refused: Array<[unknown, number, string]> = [
      [{ role: 'superuser' }, 400, 'VALIDATION_FAILED'],
      [{ capacity: -1 }, 400, 'VALIDATION_FAILED'],
      [{ capacity: 1.5 }, 400, 'VALIDATION_FAILED'],
      [{ capacity: '10' }, 400, 'VALIDATION_FAILED'],
      [{ unit: 'NOPE' }, 400, 'UNKNOWN_UNIT'],
      [{ unit: null }, 400, 'UNKNOWN_UNIT'],
      [{ password: 'sneaky-new-password' }, 400, 'VALIDATION_FAILED'],
      [{}, 400, 'VALIDATION_FAILED'],
      [['capacity', 3], 400, 'VALIDATION_FAILED'],
    ];
    for (const [body, code, name] of refused) {
      const res = await admin.call<{ code: string }>('PATCH', path, body);
      expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status: code, code: name });
    }
    const unknown = await admin.call<{ code: string }>(
      'PATCH',
      '/v1/officer/users/00000000-0000-4000-8000-000000000000',
      { capacity: 3 },
    );
    expect(unknown.status).toBe(404);
    expect((await admin.call('PATCH', '/v1/officer/users/not-an-id', { capacity: 3 })).status).toBe(404);
    // Not an admin: refused and audited; an admin cannot demote themselves (the last admin locked out).
    expect((await officer.call('PATCH', path, { capacity: 50 })).status).toBe(403);
    expect(
      (await admin.call('PATCH', `/v1/officer/users/${adminId}`, { role: 'crm_officer' })).body,
    ).toMatchObject({ code: 'SELF_ROLE_CHANGE' });
    expect(
      (await admin.get<{ items: Array<Record<string, unknown>> }>('/v1/officer/users')).body.items,
    ).toContainEqual(
      expect.objectContaining({
        username: 'unit-kept',
        role: 'unit_officer',
        capacity: 5,
        unit: expect.objectContaining({ code: 'DSDA' }),
      }),
    );
    expect(await status(officer.token)).toBe(200);
  });

  it('resets a password to a one-time password that only lets the officer choose their own', async () => {
    const officer = await admin.createOfficer('forgetful', 'crm_officer');
    const reset = await admin.post<{
      oneTimePassword: string;
      validUntil: string;
      user: { mustChangePassword: boolean };
    }>(`/v1/officer/users/${officer.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect(reset.body.oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(reset.body.user.mustChangePassword).toBe(true);
    expect(reset.body.validUntil).toBe('2026-01-06T04:00:00.000Z');
    // The open session ended; the old password is gone.
    expect(await status(officer.token)).toBe(401);
    expect((await signIn({ username: 'forgetful', password: 'forgetful-password-1' })).status).toBe(401);

    const oneTime = reset.body.oneTimePassword;
    expect(await signIn({ username: 'forgetful', password: oneTime })).toMatchObject({
      status: 403,
      body: { code: 'PASSWORD_CHANGE_REQUIRED' },
    });
    expect((await signIn({ username: 'forgetful', password: oneTime, newPassword: 'short' })).status).toBe(
      400,
    );
    expect((await signIn({ username: 'forgetful', password: oneTime, newPassword: oneTime })).status).toBe(
      400,
    );
    const chosen = await signIn({
      username: 'forgetful',
      password: oneTime,
      newPassword: 'my-own-password-42',
    });
    expect(chosen).toMatchObject({ status: 200, body: { user: { mustChangePassword: false } } });
    expect(await status(chosen.body.accessToken)).toBe(200);
    // Used once: the one-time password is no password any more; the chosen one is.
    expect(
      (await signIn({ username: 'forgetful', password: oneTime, newPassword: 'another-password-1' })).status,
    ).toBe(401);
    expect((await signIn({ username: 'forgetful', password: 'my-own-password-42' })).status).toBe(200);
    // newPassword is not a way to change a password without a reset.
    expect(
      (
        await signIn({
          username: 'forgetful',
          password: 'my-own-password-42',
          newPassword: 'third-password-11',
        })
      ).status,
    ).toBe(400);

    const rows = await audit(officer.id);
    expect(rows.map((r) => r.action)).toEqual(['create-user', 'reset-password']);
    expect(JSON.stringify(rows)).not.toContain(oneTime);
    const own = (await service.db.query(
      `SELECT action FROM audit_log WHERE officer_id = $1 AND action = 'set-password'`,
      [officer.id],
    )) as unknown[];
    expect(own).toHaveLength(1);
  });

  it('lets a one-time password expire after 24 hours, and refuses resets by non-admins or of oneself', async () => {
    const officer = await admin.createOfficer('slowpoke', 'validator');
    const reset = await admin.post<{ oneTimePassword: string }>(
      `/v1/officer/users/${officer.id}/reset-password`,
    );
    const other = await admin.createOfficer('not-admin', 'crm_officer');
    expect((await other.post(`/v1/officer/users/${officer.id}/reset-password`)).status).toBe(403);
    expect((await admin.post(`/v1/officer/users/${adminId}/reset-password`)).body).toMatchObject({
      code: 'SELF_RESET',
    });
    clock.advance(24 * 3600_000 + 1000);
    try {
      expect(
        await signIn({
          username: 'slowpoke',
          password: reset.body.oneTimePassword,
          newPassword: 'too-late-now-1',
        }),
      ).toMatchObject({ status: 403, body: { code: 'PASSWORD_EXPIRED' } });
    } finally {
      clock.advance(-(24 * 3600_000 + 1000));
    }
  });
});
