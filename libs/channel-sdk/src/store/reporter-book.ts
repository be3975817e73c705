/**
 * The reporter book (ADR 0058): who each reporter is, kept by the adapter that took the report in,
 * so that the bus carries only a pseudonymous reference.
 *
 * - `channel_reporter`: (channel, ref) → the contact `{ name, handle, email, phone }`, sealed under
 *   a data key of that reporter alone;
 * - `channel_reporter_key`: (channel, ref) → that data key, wrapped by a key derived from the store's
 *   secret. Deleting this row erases the person (crypto-shredding, as ADR 0055 does in the status
 *   service): the sealed contact stays and can never be opened again;
 * - `channel_report_reporter`: (channel, report id) → ref, so a reveal names a report and its ref,
 *   and an erasure finds every report of a ref.
 *
 * An anonymous reporter leaves nothing here: only the reply book entry that lets the adapter
 * answer them.
 *
 * The reporters of concurrent complaints are kept by one transaction (ADR 0077): a handful of
 * statements for a thousand complaints; each `keep` resolves once that transaction committed.
 */
import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { Channel, ReporterContact } from '@aduan/contracts';
import { CoalescingWriter, DEFAULT_COALESCING, type CoalescingOptions } from '@aduan/persistence';
import type { DataSource, EntityManager } from 'typeorm';

/** What an approved reveal shows an officer: the contact the citizen left, nothing else. */
export interface RevealedContact {
  name?: string;
  handle?: string;
  email?: string;
  phone?: string;
}

/** The part of a contact that identifies a person on a channel: the same for their every report. */
function identifying(contact: ReporterContact): string | null {
  return (
    contact.phone?.replace(/[^0-9]/g, '') ||
    contact.email?.trim().toLowerCase() ||
    contact.handle?.trim().toLowerCase().replace(/^@/, '') ||
    null
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function kept(contact: ReporterContact): RevealedContact {
  const out: RevealedContact = {};
  for (const field of ['name', 'handle', 'email', 'phone'] as const) {
    const value = contact[field];
    if (value) out[field] = value;
  }
  return out;
}

interface Kept {
  channel: Channel;
  reportId: string;
  ref: string;
  contact: RevealedContact;
}

export class ReporterBook {
  private readonly refKey: Buffer;
  private readonly wrapKey: Buffer;
  private readonly writes: CoalescingWriter<Kept>;

  constructor(
    private readonly db: DataSource,
    secret: string,
    coalescing: CoalescingOptions = DEFAULT_COALESCING,
  ) {
    // Separate derivations: a reference reveals nothing of the key that wraps the data keys.
    this.refKey = Buffer.from(hkdfSync('sha256', secret, 'aduan-channel-store', 'reporter-ref-v1', 32));
    this.wrapKey = Buffer.from(hkdfSync('sha256', secret, 'aduan-channel-store', 'reporter-key-wrap-v1', 32));
    this.writes = new CoalescingWriter((batch) => this.keepBatch(batch), coalescing);
  }

  /**
   * The reference the bus carries for this reporter: a keyed hash of channel and contact when they
   * left one and did not ask for anonymity (the same person on the same channel is recognisable
   * as a repeat reporter), otherwise random, so nothing links their reports.
   */
  refFor(channel: Channel, contact: ReporterContact): string {
    const who = contact.anonymous ? null : identifying(contact);
    if (!who) return `rp_${randomBytes(24).toString('base64url')}`;
    const digest = createHmac('sha256', this.refKey).update(`${channel}:${who}`).digest('base64url');
    return `rp_${digest.slice(0, 32)}`;
  }

  /**
   * Keeps the contact of a report's reporter under the reference (the latest contact of a
   * reference wins: a profile name may change) and links the report to it. Nothing is kept of an
   * anonymous or contact-less reporter.
   */
  async keep(channel: Channel, reportId: string, ref: string, contact: ReporterContact): Promise<void> {
    const contactKept = kept(contact);
    if (contact.anonymous || Object.keys(contactKept).length === 0) return;
    await this.writes.write({ channel, reportId, ref, contact: contactKept });
  }

  /** Resolves once every contact kept so far is stored or has failed (before the pool closes). */
  drain(): Promise<void> {
    return this.writes.drain();
  }

  /**
   * One transaction for a batch: the references' keys (the first insert of a key wins, every
   * contact of it is sealed under the one stored), their contacts (the latest of the batch
   * wins), and the reports' links. Rows go in key order, so two instances' batches lock shared
   * rows in one order and wait for each other rather than deadlock.
   */
  private async keepBatch(batch: readonly Kept[]): Promise<void[]> {
    const byRef = new Map<string, Kept>();
    for (const k of batch) byRef.set(`${k.channel}\u0000${k.ref}`, k);
    const refs = [...byRef.values()].sort((a, b) => compare(a.channel, b.channel) || compare(a.ref, b.ref));
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO channel_reporter_key (channel, ref, wrapped_key)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (channel, ref) DO NOTHING`,
        [
          refs.map((k) => k.channel),
          refs.map((k) => k.ref),
          refs.map((k) => this.encrypt(this.wrapKey, `key:${k.channel}:${k.ref}`, randomBytes(32))),
        ],
      );
      const keys = (await tx.query(
        `SELECT k.channel, k.ref, k.wrapped_key FROM channel_reporter_key k
           JOIN unnest($1::text[], $2::text[]) AS v(channel, ref) ON k.channel = v.channel AND k.ref = v.ref`,
        [refs.map((k) => k.channel), refs.map((k) => k.ref)],
      )) as Array<{ channel: Channel; ref: string; wrapped_key: string }>;
      const dataKeys = new Map(
        keys.map((r) => [
          `${r.channel}\u0000${r.ref}`,
          this.decrypt(this.wrapKey, `key:${r.channel}:${r.ref}`, r.wrapped_key),
        ]),
      );
      const sealed = refs.map((k) => {
        const dataKey = dataKeys.get(`${k.channel}\u0000${k.ref}`);
        if (!dataKey) throw new Error('a reporter key vanished while it was being written');
        return this.encrypt(dataKey, `${k.channel}:${k.ref}`, Buffer.from(JSON.stringify(k.contact)));
      });
      await tx.query(
        `INSERT INTO channel_reporter (channel, ref, contact_sealed)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[])
         ON CONFLICT (channel, ref) DO UPDATE SET contact_sealed = EXCLUDED.contact_sealed, updated_at = now()`,
        [refs.map((k) => k.channel), refs.map((k) => k.ref), sealed],
      );
      const links = [...batch].sort(
        (a, b) => compare(a.channel, b.channel) || compare(a.reportId, b.reportId),
      );
      await tx.query(
        `INSERT INTO channel_report_reporter (channel, report_id, ref)
         SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[])
         ON CONFLICT (channel, report_id) DO NOTHING`,
        [links.map((k) => k.channel), links.map((k) => k.reportId), links.map((k) => k.ref)],
      );
    });
    return batch.map(() => undefined);
  }

  /**
   * The contact of the report's reporter, when the report belongs to this reference and the
   * reporter was not erased; null otherwise (nothing tells the two apart to the caller).
   */
  async reveal(channel: Channel, reportId: string, ref: string): Promise<RevealedContact | null> {
    const [row] = (await this.db.query(
      `SELECT r.contact_sealed FROM channel_report_reporter rr
         JOIN channel_reporter r ON r.channel = rr.channel AND r.ref = rr.ref
        WHERE rr.channel = $1 AND rr.report_id = $2 AND rr.ref = $3`,
      [channel, reportId, ref],
    )) as Array<{ contact_sealed: string }>;
    if (!row) return null;
    const dataKey = await this.dataKey(this.db.manager, channel, ref);
    if (!dataKey) return null;
    return JSON.parse(
      this.decrypt(dataKey, `${channel}:${ref}`, row.contact_sealed).toString('utf8'),
    ) as RevealedContact;
  }

  /**
   * Erases a reporter (ADR 0055, 0058): the reference's data key goes, so its sealed contact can
   * never be opened again, and so do the reply book entries and conversation addresses of every
   * report of the reference (or of the one report, for a report without a reference). The
   * reports' ids and history stay. Idempotent.
   */
  async erase(channel: Channel, reportId: string, ref: string | undefined): Promise<string[]> {
    return this.db.transaction(async (tx) => {
      const linked = ref
        ? ((await tx.query(`SELECT report_id FROM channel_report_reporter WHERE channel = $1 AND ref = $2`, [
            channel,
            ref,
          ])) as Array<{ report_id: string }>)
        : [];
      const reports = [...new Set([reportId, ...linked.map((r) => r.report_id)])];
      if (ref) {
        await tx.query(`DELETE FROM channel_reporter_key WHERE channel = $1 AND ref = $2`, [channel, ref]);
        await tx.query(`DELETE FROM channel_reporter WHERE channel = $1 AND ref = $2`, [channel, ref]);
      }
      await tx.query(`DELETE FROM channel_reply_book WHERE channel = $1 AND report_id = ANY($2::uuid[])`, [
        channel,
        reports,
      ]);
      // The address hash goes too: the person's next message starts afresh instead of joining
      // a report they asked to be erased from.
      await tx.query(
        `UPDATE channel_conversation SET reply_to_sealed = NULL, address_hash = 'erased:' || report_id::text
          WHERE channel = $1 AND report_id = ANY($2::uuid[])`,
        [channel, reports],
      );
      return reports;
    });
  }

  private async dataKey(
    db: Pick<EntityManager, 'query'>,
    channel: Channel,
    ref: string,
  ): Promise<Buffer | null> {
    const [row] = (await db.query(
      `SELECT wrapped_key FROM channel_reporter_key WHERE channel = $1 AND ref = $2`,
      [channel, ref],
    )) as Array<{ wrapped_key: string }>;
    return row ? this.decrypt(this.wrapKey, `key:${channel}:${ref}`, row.wrapped_key) : null;
  }

  private encrypt(key: Buffer, aad: string, plain: Buffer): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad));
    const body = Buffer.concat([cipher.update(plain), cipher.final()]);
    return `v1:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  private decrypt(key: Buffer, aad: string, sealed: string): Buffer {
    if (!sealed.startsWith('v1:')) throw new Error('sealed value of an unknown version');
    const raw = Buffer.from(sealed.slice(3), 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]);
  }
}
