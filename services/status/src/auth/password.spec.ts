import { DUMMY_HASH, hashPassword, verifyPassword } from './password';

describe('officer passwords', () => {
  it('are stored as a salted scrypt hash with its parameters, and verify', async () => {
    const hash = await hashPassword('kata-sandi-rahasia');
    expect(hash).toMatch(/^scrypt\$N=32768,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(hash).not.toContain('kata-sandi');
    expect(await verifyPassword('kata-sandi-rahasia', hash)).toBe(true);
    expect(await verifyPassword('kata-sandi-salah', hash)).toBe(false);
    expect(await hashPassword('kata-sandi-rahasia')).not.toBe(hash);
  });

  it('never matches the dummy hash or a malformed one', async () => {
    expect(await verifyPassword('', DUMMY_HASH)).toBe(false);
    expect(await verifyPassword('x', 'plain')).toBe(false);
  });
});
