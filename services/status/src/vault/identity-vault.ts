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

  seal(reportId: string, identity: SealedIdentity): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(reportId));
    const body = Buffer.concat([cipher.update(JSON.stringify(identity), 'utf8'), cipher.final()]);
    return `v1.${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  open(reportId: string, sealed: string): SealedIdentity {
    if (!sealed.startsWith('v1.')) throw new Error('unknown sealed identity format');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(reportId));
    decipher.setAuthTag(raw.subarray(12, 28));
    const plain = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    return JSON.parse(plain) as SealedIdentity;
  }

  /**
   * The same person on the same channel gets the same pseudonym across reports (officers can
   * see a repeat reporter), an anonymous or contact-less one a pseudonym per report.
   */
  pseudonym(reportId: string, channel: string, reporter: Reporter): string {
    const who =
      reporter.phone?.replace(/[^0-9]/g, '') ||
      reporter.email?.toLowerCase() ||
      reporter.handle?.toLowerCase();
    const subject = who && !reporter.anonymous ? `${channel}:${who}` : `report:${reportId}`;
    const digest = createHmac('sha256', this.pseudonymKey).update(subject).digest('hex');
    return `Pelapor #${digest.slice(0, 6).toUpperCase()}`;
  }
}
