import { SignJWT } from 'jose';
import { InvalidOfficerToken, signOfficerToken, verifyOfficerToken } from './officer-token';

const SECRET = 'test-secret-of-at-least-32-bytes!!';

describe('officer tokens', () => {
  it('round-trips the claims other services rely on', async () => {
    const token = await signOfficerToken({ sub: 'u1', role: 'unit_officer', unit: 'DBM' }, SECRET);
    await expect(verifyOfficerToken(token, SECRET)).resolves.toEqual({
      sub: 'u1',
      role: 'unit_officer',
      unit: 'DBM',
    });
  });

  it('refuses forged, expired and role-less tokens', async () => {
    const forged = await signOfficerToken({ sub: 'u1', role: 'admin' }, 'another-secret-another-secret-!!');
    await expect(verifyOfficerToken(forged, SECRET)).rejects.toBeInstanceOf(InvalidOfficerToken);
    const expired = await signOfficerToken({ sub: 'u1', role: 'admin' }, SECRET, -10);
    await expect(verifyOfficerToken(expired, SECRET)).rejects.toThrow(/exp/);
    const noRole = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('u1')
      .setIssuer('aduan-status')
      .setExpirationTime('5m')
      .sign(new TextEncoder().encode(SECRET));
    await expect(verifyOfficerToken(noRole, SECRET)).rejects.toThrow(/no valid role/);
  });
});
