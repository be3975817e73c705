import { verifyOfficerToken } from '@aduan/platform';
import { SignJWT } from 'jose';
import { InvalidTokenError, LocalTokens } from './tokens';

describe('officer access tokens', () => {
  const secret = 'x'.repeat(40);
  let now = new Date('2026-01-05T03:00:00Z');
  const tokens = new LocalTokens(secret, () => now);

  it('carry sub, role, unit and a 15-minute expiry', async () => {
    const { token, expiresAt } = await tokens.issue({ id: 'u1', role: 'unit_officer', unit: 'DSDA' });
    expect(expiresAt.toISOString()).toBe('2026-01-05T03:15:00.000Z');
    const claims = JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as Record<
      string,
      unknown
    >;
    expect(claims).toMatchObject({
      sub: 'u1',
      role: 'unit_officer',
      unit: 'DSDA',
      exp: Date.parse('2026-01-05T03:15:00Z') / 1000,
    });
    expect(await tokens.verify(token)).toEqual({ id: 'u1', role: 'unit_officer', unit: 'DSDA' });
  });

  it('are accepted by the verifier the other services use', async () => {
    const real = new LocalTokens(secret);
    const { token } = await real.issue({ id: 'u2', role: 'crm_officer', unit: null });
    await expect(verifyOfficerToken(token, secret)).resolves.toEqual({ sub: 'u2', role: 'crm_officer' });
  });

  it('refuses an expired, forged, unsigned or role-less token', async () => {
    const { token } = await tokens.issue({ id: 'u1', role: 'admin', unit: null });
    now = new Date('2026-01-05T03:16:00Z');
    await expect(tokens.verify(token)).rejects.toThrow(/expired/);
    now = new Date('2026-01-05T03:00:00Z');
    const forged = await new SignJWT({ role: 'admin' })
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('aduan-status')
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode('y'.repeat(40)));
    await expect(tokens.verify(forged)).rejects.toThrow(InvalidTokenError);
    const [h, p] = token.split('.');
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${p}.`;
    await expect(tokens.verify(none)).rejects.toThrow(InvalidTokenError);
    await expect(tokens.verify(`${h}.${p}.`)).rejects.toThrow(InvalidTokenError);
    const noRole = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer('aduan-status')
      .setSubject('u1')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(secret));
    await expect(tokens.verify(noRole)).rejects.toThrow(/role/);
  });
});
