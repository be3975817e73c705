import { randomUUID } from 'node:crypto';
import type { Admin, IHeaders, Kafka } from 'kafkajs';

/**
 * Reading and draining dead-letter topics (`npm run dlq`, the aduan_dlq_depth gauge).
 * What was replayed is recorded on `<dlq>.replayed` (compacted, keyed by the dead letter's
 * `partition:offset`), so a second replay of the same entry sends nothing; the replayed head
 * of each partition is then trimmed off the DLQ, so its depth counts what still waits.
 */

export interface RawEntry {
  partition: number;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, string>;
}

export const replayedMarkerTopic = (physicalDlq: string): string => `${physicalDlq}.replayed`;

export function entryId(e: { partition: number; offset: string }): string {
  return `${e.partition}:${e.offset}`;
}

export function headerStrings(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (v === undefined) continue;
    out[k] = Array.isArray(v) ? String(v[0]) : Buffer.isBuffer(v) ? v.toString('utf8') : String(v);
  }
  return out;
}

/** Events retained on a topic (sum over partitions of high − low watermark); 0 when it does not exist. */
export async function dlqDepth(admin: Admin, physical: string): Promise<number> {
  const offsets = await admin.fetchTopicOffsets(physical).catch((err: { type?: string }) => {
    if (err.type === 'UNKNOWN_TOPIC_OR_PARTITION') return [];
    throw err;
  });
  return offsets.reduce((sum, p) => sum + Number(BigInt(p.high) - BigInt(p.low)), 0);
}

/**
 * Every event on a topic up to its end as it stands now, read by a throwaway consumer group
 * (kafkajs has no group-less reads) that is deleted afterwards.
 */
export async function readToEnd(
  kafka: Kafka,
  admin: Admin,
  physical: string,
  timeoutMs = 30_000,
): Promise<RawEntry[]> {
  const existing = new Set(await admin.listTopics());
  if (!existing.has(physical)) return [];
  const ends = new Map<number, bigint>();
  for (const p of await admin.fetchTopicOffsets(physical))
    if (BigInt(p.high) > BigInt(p.low)) ends.set(p.partition, BigInt(p.high) - 1n);
  if (!ends.size) return [];

  const groupId = `aduan-dlq-reader-${randomUUID()}`;
  const consumer = kafka.consumer({ groupId, maxWaitTimeInMs: 200, allowAutoTopicCreation: false });
  const entries: RawEntry[] = [];
  const pending = new Set(ends.keys());
  try {
    await consumer.connect();
    await consumer.subscribe({ topic: physical, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading ${physical} did not reach its end within ${timeoutMs} ms`)),
        timeoutMs,
      );
      void consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const end = ends.get(partition);
            if (end === undefined || BigInt(message.offset) > end) return;
            entries.push({
              partition,
              offset: message.offset,
              key: message.key,
              value: message.value,
              headers: headerStrings(message.headers),
            });
            if (BigInt(message.offset) === end) pending.delete(partition);
            if (!pending.size) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await admin.deleteGroups([groupId]).catch(() => undefined);
  }
  return entries.sort((a, b) => a.partition - b.partition || Number(BigInt(a.offset) - BigInt(b.offset)));
}

/** The dead letters recorded as replayed: by `partition:offset`, and the CloudEvents ids among them. */
export async function replayedIds(
  kafka: Kafka,
  admin: Admin,
  physicalDlq: string,
): Promise<{ positions: Set<string>; ceIds: Set<string> }> {
  const markers = await readToEnd(kafka, admin, replayedMarkerTopic(physicalDlq));
  const positions = new Set<string>();
  const ceIds = new Set<string>();
  for (const m of markers) {
    if (m.value === null) continue;
    positions.add(m.key?.toString('utf8') ?? '');
    try {
      const { ceId } = JSON.parse(m.value.toString('utf8')) as { ceId?: unknown };
      if (typeof ceId === 'string') ceIds.add(ceId);
    } catch {
      // a marker written by hand; its position still counts
    }
  }
  return { positions, ceIds };
}

/** The headers an event had before it was dead-lettered. */
export function withoutDlqHeaders(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith('dlq_')));
}

/**
 * Trims each partition's head of replayed entries off the DLQ (the broker deletes records
 * below the new low watermark), so its depth reads what still waits for an operator.
 */
export async function trimReplayedHead(
  admin: Admin,
  physicalDlq: string,
  entries: readonly RawEntry[],
  replayed: ReadonlySet<string>,
): Promise<void> {
  const byPartition = new Map<number, RawEntry[]>();
  for (const e of entries) byPartition.set(e.partition, [...(byPartition.get(e.partition) ?? []), e]);
  const partitions: Array<{ partition: number; offset: string }> = [];
  for (const [partition, list] of byPartition) {
    let next: string | undefined;
    for (const e of list) {
      if (!replayed.has(entryId(e))) break;
      next = (BigInt(e.offset) + 1n).toString();
    }
    if (next !== undefined) partitions.push({ partition, offset: next });
  }
  if (partitions.length) await admin.deleteTopicRecords({ topic: physicalDlq, partitions });
}
