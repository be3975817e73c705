import { randomBytes, randomUUID } from 'node:crypto';
import { ErasedReporter, IdentityVault, isAnswered, VaultKeyError } from './identity-vault';

describe('IdentityVault', () => {
  const vault = new IdentityVault(randomBytes(32).toString('base64'));
  const reporter = { name: 'Siti Rahma', phone: '+6281234567890', anonymous: false };

  it('seals contact data so that the stored text does not contain it, and opens it again', () => {
    const id = randomUUID();
    const sealed = vault.seal(id, { reporter, replyTo: { sourceId: 'wamid.1', thread: null } });
    expect(sealed).not.toMatch(/Siti|6281234567890|wamid/);
    expect(vault.open(id, sealed).reporter).toEqual(reporter);
  });

  it('refuses a sealed record moved onto another report or tampered with', () => {
    const sealed = vault.seal(randomUUID(), { reporter, replyTo: null });
    expect(() => vault.open(randomUUID(), sealed)).toThrow();
    const other = new IdentityVault(randomBytes(32).toString('base64'));
    expect(() => other.open(randomUUID(), sealed)).toThrow();
  });

  it('seals each reporter under a key of their own: without it (erased) nothing opens', () => {
    const id = randomUUID();
    const sealed = vault.seal(id, { reporter, replyTo: null });
    const [version, wrapped, body] = sealed.split('.');
    expect(version).toBe('v2');
    // Stored apart, as the store does: the key in one place, the body in another.
    expect(vault.open(id, `v2..${body}`, wrapped).reporter).toEqual(reporter);
    expect(() => vault.open(id, `v2..${body}`, null)).toThrow(ErasedReporter);
    // Two reporters never share a key.
    expect(vault.seal(id, { reporter, replyTo: null }).split('.')[1]).not.toBe(wrapped);
  });

  it('keeps nothing of an anonymous reporter but the address their adapter answers on', () => {
    const id = randomUUID();
    const anonymous = { ...reporter, email: 'siti@example.id', anonymous: true };
    const kept = vault.open(id, vault.seal(id, { reporter: anonymous, replyTo: null }));
    expect(kept.reporter).toEqual({ anonymous: true, replyTo: '+6281234567890' });
    const silent = vault.open(
      id,
      vault.seal(id, { reporter: { ...anonymous, replyTo: null }, replyTo: null }),
    );
    expect(silent.reporter).toEqual({ anonymous: true, replyTo: null });
  });

  it('gives a stable pseudonym per person and channel that reveals nothing', () => {
    const a = vault.pseudonym(randomUUID(), 'whatsapp', reporter);
    const b = vault.pseudonym(randomUUID(), 'whatsapp', { ...reporter, phone: '+62 812-3456-7890' });
    expect(a).toMatch(/^Pelapor #[0-9A-F]{6}$/);
    expect(b).toBe(a);
    expect(vault.pseudonym(randomUUID(), 'whatsapp', { ...reporter, anonymous: true })).not.toBe(a);
  });

  it('has a development key only outside production', () => {
    expect(IdentityVault.fromSettings({ NODE_ENV: 'development' }).usingDevKey).toBe(true);
    expect(() => IdentityVault.fromSettings({ NODE_ENV: 'production' })).toThrow(VaultKeyError);
    expect(() => new IdentityVault(Buffer.alloc(16).toString('base64'))).toThrow(/32 bytes/);
  });
});

describe('a reporter named by reference (ADR 0058)', () => {
  const vault = new IdentityVault(randomBytes(32).toString('base64'));
  const ref = 'rp_AbCdEfGhIjKlMnOpQrStUv';

  it("gets the pseudonym of their reference: the same across their reports, another channel's or reference's differs", () => {
    const reporter = { ref, anonymous: false, answers: true };
    const first = vault.pseudonym(randomUUID(), 'whatsapp', reporter);
    expect(first).toMatch(/^Pelapor #[0-9A-F]{6}$/);
    expect(vault.pseudonym(randomUUID(), 'whatsapp', reporter)).toBe(first);
    expect(vault.pseudonym(randomUUID(), 'whatsapp', { ...reporter, ref: `${ref}x` })).not.toBe(first);
    const anonymous = { ...reporter, anonymous: true };
    expect(vault.pseudonym(randomUUID(), 'whatsapp', anonymous)).not.toBe(
      vault.pseudonym(randomUUID(), 'whatsapp', anonymous),
    );
  });

  it('is answered when the adapter says so, and an anonymous one keeps only that and the reference', () => {
    const id = randomUUID();
    const kept = vault.open(
      id,
      vault.seal(id, { reporter: { ref, anonymous: true, answers: true }, replyTo: null }),
    );
    expect(kept.reporter).toEqual({ ref, anonymous: true, answers: true });
    expect(isAnswered(kept)).toBe(true);
    expect(isAnswered({ reporter: { ref, anonymous: false, answers: false }, replyTo: null })).toBe(false);
    // An event from before references: whether there is an address decides.
    expect(isAnswered({ reporter: { anonymous: false, phone: '+6281234567890' }, replyTo: null })).toBe(true);
  });
});
