import { OfficerAuthError, officerFromAuthorization, officerVerifierFromSettings } from './officer-auth';
import { signOfficerToken } from './officer-token';

const SECRET = 'test-secret-of-at-least-32-bytes!!';

async function refusal(p: Promise<unknown>): Promise<{ status: number; reason: string; message: string }> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OfficerAuthError);
  const e = err as OfficerAuthError;
  return {
    status: e.getStatus(),
    reason: e.reason,
    message: (e.getResponse() as { message: string }).message,
  };
}

describe('officer from an Authorization header', () => {
  it('gives the claims of a valid token of an allowed role', async () => {
    const token = await signOfficerToken({ sub: 'o-1', role: 'crm_officer', unit: 'CRM' }, SECRET);
    await expect(
      officerFromAuthorization(`Bearer ${token}`, SECRET, ['admin', 'crm_officer'], 'enter reports'),
    ).resolves.toEqual({ sub: 'o-1', role: 'crm_officer', unit: 'CRM' });
  });

  it('answers 503 while no secret is set, whatever the token', async () => {
    const token = await signOfficerToken({ sub: 'o-1', role: 'admin' }, SECRET);
    expect(
      await refusal(officerFromAuthorization(`Bearer ${token}`, undefined, ['admin'], 'enter reports')),
    ).toEqual({
      status: 503,
      reason: 'disabled',
      message: 'cannot enter reports: OFFICER_JWKS_URL is not set',
    });
  });

  it('answers 401 without a token, or with one signed by another secret', async () => {
    expect(await refusal(officerFromAuthorization(undefined, SECRET, ['admin']))).toMatchObject({
      status: 401,
      reason: 'missing',
      message: expect.stringMatching(/officer token is required/),
    });
    expect(await refusal(officerFromAuthorization('Basic abc', SECRET, ['admin']))).toMatchObject({
      status: 401,
      reason: 'missing',
    });
    const forged = await signOfficerToken({ sub: 'o-1', role: 'admin' }, 'another-secret-another-secret-!!');
    expect(await refusal(officerFromAuthorization(`Bearer ${forged}`, SECRET, ['admin']))).toMatchObject({
      status: 401,
      reason: 'invalid',
      message: expect.stringMatching(/^the officer token is not valid: /),
    });
  });

  it('answers 403 to a role the action does not allow, naming the roles that may', async () => {
    const token = await signOfficerToken({ sub: 'u-1', role: 'validator' }, SECRET);
    expect(
      await refusal(
        officerFromAuthorization(`Bearer ${token}`, SECRET, ['crm_officer', 'admin'], 'enter reports'),
      ),
    ).toEqual({
      status: 403,
      reason: 'forbidden',
      message: 'role validator may not enter reports; crm_officer or admin may',
    });
  });
});

describe('the verifier of a service settings', () => {
  it('says in the log while the deprecated HS256 secret is accepted, and not otherwise', () => {
    const warnings: string[] = [];
    const log = { warn: (msg: string) => void warnings.push(msg) };
    expect(
      officerVerifierFromSettings({ OFFICER_JWKS_URL: 'http://status:3300/.well-known/jwks.json' }, log),
    ).toBeDefined();
    expect(warnings).toEqual([]);
    expect(officerVerifierFromSettings({ OFFICER_JWT_SECRET: SECRET }, log)).toBeDefined();
    expect(warnings).toEqual([expect.stringMatching(/^OFFICER_JWT_SECRET is set: .*deprecated/)]);
    expect(officerVerifierFromSettings({}, log)).toBeUndefined();
  });
});
