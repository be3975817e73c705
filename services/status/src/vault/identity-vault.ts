import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Reporter } from '@aduan/contracts';

/** What the vault keeps per report: the reporter and where replies go. Personal data, all of it. */
export interface SealedIdentity {
  reporter: Reporter;
  replyTo: { sourceId: string; thread: string | null } | null;
}

/** A fixed development key so that a laptop runs without setup; refused in production. */
const DEV_KEY = Buffer.alloc(32, 'aduan-development-only-key').toString('base64');

export class VaultKeyError extends Error {}

/** The reporter's data key was deleted (erasure): their contact can no longer be opened. */
export class ErasedReporter extends Error {
  constructor() {
    super('the reporter of this report was erased');
  }
}

/**
 * Where the reporter's own adapter answers them, for a report received before ADR 0058; null when
 * it does not. The same rule for every channel (ADR 0015): the address the adapter named in
 * `reporter.replyTo` (null: it does not answer), else, for adapters that predate it, the first
 * contact the reporter left: a handle is the account they wrote from, so it comes before a phone
 * number and an e-mail address.
 */
export function replyAddress(identity: SealedIdentity): string | null {
  const r = identity.reporter;
  if (r.replyTo !== undefined) return r.replyTo || null;
  return r.handle || r.phone || r.email || null;
}

/**
 * Whether the reporter's adapter answers them: what the adapter said (`answers`, ADR 0058), or
 * for an older report whether there is an address to answer on.
 */
export function isAnswered(identity: SealedIdentity): boolean {
  const r = identity.reporter;
  if (r.answers !== undefined) return r.answers;
  return replyAddress(identity) !== null;
}

/**
 * What is kept of a reporter. An anonymous one keeps no name, phone, e-mail or handle: only the
 * address their adapter answers on (before ADR 0058) or their reference and whether they are
 * answered, so notifications still reach them and no officer can ever reveal who they are
 * (ADR 0055).
 */
function keptOf(identity: SealedIdentity): SealedIdentity {
  const r = identity.reporter;
  if (!r.anonymous) return identity;
  const reporter: Reporter = r.ref
    ? { anonymous: true, ref: r.ref, answers: isAnswered(identity) }
    : { anonymous: true, replyTo: replyAddress(identity) };
  return { ...identity, reporter };
}

/**
 * Encrypts reporter data at rest with AES-256-GCM (a fresh 96-bit IV per record; the tag
 * authenticates the report id, so a sealed blob cannot be moved onto another report) and
 * derives the pseudonym officers see by HMAC, with a sub-key so that the pseudonym reveals
 * nothing about the encryption key.
 */
export class IdentityVault {
  private readonly key: Buffer;
  private readonly pseudonymKey: Buffer;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key, 'base64');
    if (key.length !== 32) throw new VaultKeyError('REPORTER_DATA_KEY must be 32 bytes, base64-encoded');
    this.key = key;
    this.pseudonymKey = Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), 'aduan reporter pseudonym', 32));
  }

  static fromSettings(settings: { REPORTER_DATA_KEY?: string; NODE_ENV: string }): {
    vault: IdentityVault;
    usingDevKey: boolean;
  } {
    if (settings.REPORTER_DATA_KEY)
      return { vault: new IdentityVault(settings.REPORTER_DATA_KEY), usingDevKey: false };
    if (settings.NODE_ENV === 'production')
      throw new VaultKeyError('REPORTER_DATA_KEY must be set when NODE_ENV is production');
    return { vault: new IdentityVault(DEV_KEY), usingDevKey: true };
  }

  /**
   * Seals under a fresh data key for this reporter alone, wrapped by the service key:
   * `v2.<wrapped key>.<body>`. The store keeps the wrapped key apart (table `reporter_key`), so
   * deleting it erases the person while the report's history stays (ADR 0055). An anonymous
   * reporter's contact is not kept at all: only where the adapter answers them.
   */
  seal(reportId: string, identity: SealedIdentity): string {
    const dataKey = randomBytes(32);
    const wrapped = this.encrypt(this.key, Buffer.from(`key:${reportId}`), dataKey);
    const body = this.encrypt(dataKey, Buffer.from(reportId), Buffer.from(JSON.stringify(keptOf(identity))));
    return `v2.${wrapped}.${body}`;
  }

  /**
   * Opens a sealed identity. A `v2` one needs its wrapped key (from `reporter_key`); without it
   * the reporter was erased and this throws `ErasedReporter`.
   */
  open(reportId: string, sealed: string, wrappedKey?: string | null): SealedIdentity {
    if (sealed.startsWith('v1.')) return this.decryptJson(this.key, reportId, sealed.slice(3));
    if (!sealed.startsWith('v2.')) throw new Error('unknown sealed identity format');
    const [, inline, body] = sealed.split('.');
    const wrapped = wrappedKey || inline;
    if (!wrapped || !body) throw new ErasedReporter();
    const dataKey = this.decrypt(this.key, Buffer.from(`key:${reportId}`), wrapped);
    return JSON.parse(this.decrypt(dataKey, Buffer.from(reportId), body).toString('utf8')) as SealedIdentity;
  }

  private encrypt(key: Buffer, aad: Buffer, plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(aad);
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    // base64url: no '.', which separates the parts of a sealed value.
    return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  private decrypt(key: Buffer, aad: Buffer, sealed: string): Buffer {
    const raw = Buffer.from(sealed, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(aad);
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }

  private decryptJson(key: Buffer, reportId: string, base64: string): SealedIdentity {
    const raw = Buffer.from(base64, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(reportId));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as SealedIdentity;
  }

  /**
   * The same person on the same channel gets the same pseudonym across reports (officers can
   * see a repeat reporter), an anonymous or contact-less one a pseudonym per report. The
   * adapter's reference already says which (ADR 0058); older events carry the contact itself.
   */
  pseudonym(reportId: string, channel: string, reporter: Reporter): string {
    const who = reporter.ref
      ? `ref:${reporter.ref}`
      : reporter.phone?.replace(/[^0-9]/g, '') ||
        reporter.email?.toLowerCase() ||
        reporter.handle?.toLowerCase();
    const subject = who && !reporter.anonymous ? `${channel}:${who}` : `report:${reportId}`;
    const digest = createHmac('sha256', this.pseudonymKey).update(subject).digest('hex');
    return `Pelapor #${digest.slice(0, 6).toUpperCase()}`;
  }
}
