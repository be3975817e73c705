import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { DataSource, EntityManager } from 'typeorm';

const hash = (secret: string) => createHash('sha256').update(secret, 'utf8').digest('hex');

/**
 * The reporter's review key: random, sent once in the completion message on their own channel,
 * stored only as its SHA-256. A new completion (after a reopen) issues a new key; the old one
 * stops working.
 */
export async function issueReviewSecret(tx: EntityManager, reportId: string, at: Date): Promise<string> {
  const secret = randomBytes(16).toString('base64url');
  await tx.query(
    `INSERT INTO report_review_secret (report_id, secret_hash, issued_at) VALUES ($1, $2, $3)
     ON CONFLICT (report_id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, issued_at = EXCLUDED.issued_at`,
    [reportId, hash(secret), at],
  );
  return secret;
}

export async function reviewSecretMatches(
  db: DataSource | EntityManager,
  reportId: string,
  secret: string,
): Promise<boolean> {
  if (!secret || secret.length > 200) return false;
  const [row] = (await db.query('SELECT secret_hash FROM report_review_secret WHERE report_id = $1', [
    reportId,
  ])) as Array<{ secret_hash: string }>;
  if (!row) return false;
  return timingSafeEqual(Buffer.from(row.secret_hash, 'hex'), Buffer.from(hash(secret), 'hex'));
}

/** The link in the completion message: the tracking page with the key in its query. */
export function reviewLink(template: string, trackingCode: string, secret: string): string {
  const page = template.replace('{code}', encodeURIComponent(trackingCode));
  return `${page}${page.includes('?') ? '&' : '?'}k=${secret}`;
}
