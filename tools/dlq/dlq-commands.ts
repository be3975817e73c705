import { deadLetterTopic, TOPICS, type TopicName } from '@aduan/contracts';
import {
  entryId,
  readToEnd,
  replayedIds,
  replayedMarkerTopic,
  trimReplayedHead,
  withoutDlqHeaders,
  type EventBus,
  type RawEntry,
} from '@aduan/bus';
import { redact, redactText } from '@aduan/platform';

/**
 * `npm run dlq -- list|show|replay`: what an operator does with dead letters. Every command
 * prints what it found; nothing here shows personal data (payloads and reasons go through the
 * platform redactor).
 */

export type Print = (line: string) => void;

export class DlqUsageError extends Error {}

export function knownTopic(name: string | undefined): TopicName {
  if (!name) throw new DlqUsageError('name a topic, e.g. aduan.complaint.received.v1');
  const logical = name.endsWith('.dlq') ? name.slice(0, -'.dlq'.length) : name;
  if (!(logical in TOPICS))
    throw new DlqUsageError(`unknown topic ${name}; known: ${Object.keys(TOPICS).join(', ')}`);
  return logical as TopicName;
}

interface Summary {
  topic: TopicName;
  waiting: number;
  replayed: number;
  reasons: Array<{ code: string; count: number; example: string }>;
}

async function entriesOf(
  bus: EventBus,
  topic: TopicName,
): Promise<{ entries: RawEntry[]; replayed: Set<string>; replayedCeIds: Set<string> }> {
  const physical = bus.physical(deadLetterTopic(topic));
  const [entries, markers] = await Promise.all([
    readToEnd(bus.kafkaClient, bus.adminClient, physical),
    replayedIds(bus.kafkaClient, bus.adminClient, physical),
  ]);
  return { entries, replayed: markers.positions, replayedCeIds: markers.ceIds };
}

/** An id no longer on the DLQ because it was replayed (and trimmed off) before. */
function replayedBefore(id: string, m: { replayed: Set<string>; replayedCeIds: Set<string> }): boolean {
  return m.replayed.has(id) || m.replayedCeIds.has(id);
}

export async function summarize(bus: EventBus, topic: TopicName): Promise<Summary> {
  const { entries, replayed } = await entriesOf(bus, topic);
  const waiting = entries.filter((e) => !replayed.has(entryId(e)));
  const reasons = new Map<string, { count: number; example: string }>();
  for (const e of waiting) {
    const code = e.headers['dlq_code'] ?? 'UNKNOWN';
    const r = reasons.get(code) ?? {
      count: 0,
      example: redactText(e.headers['dlq_reason'] ?? '').slice(0, 200),
    };
    r.count++;
    reasons.set(code, r);
  }
  return {
    topic,
    waiting: waiting.length,
    replayed: entries.length - waiting.length,
    reasons: [...reasons].map(([code, r]) => ({ code, ...r })).sort((a, b) => b.count - a.count),
  };
}

/** Every topic, or the one named: how many dead letters wait, and why. */
export async function list(bus: EventBus, topicName: string | undefined, print: Print): Promise<Summary[]> {
  const topics = topicName ? [knownTopic(topicName)] : (Object.keys(TOPICS) as TopicName[]);
  const summaries: Summary[] = [];
  for (const topic of topics) {
    const s = await summarize(bus, topic);
    summaries.push(s);
    if (!s.waiting && !topicName) continue;
    print(`${deadLetterTopic(topic)}: ${s.waiting} waiting${s.replayed ? `, ${s.replayed} replayed` : ''}`);
    for (const r of s.reasons) print(`  ${r.count} × ${r.code}: ${r.example}`);
  }
  if (!topicName && summaries.every((s) => !s.waiting)) print('no dead letters waiting');
  return summaries;
}

function matches(e: RawEntry, id: string): boolean {
  return e.headers['ce_id'] === id || entryId(e) === id;
}

/** One dead letter: its headers, why it failed, and its payload with personal data redacted. */
export async function show(
  bus: EventBus,
  topicName: string | undefined,
  id: string | undefined,
  print: Print,
): Promise<void> {
  const topic = knownTopic(topicName);
  if (!id) throw new DlqUsageError('name the event: --id <ce_id or partition:offset> (see `list`)');
  const known = await entriesOf(bus, topic);
  const { entries, replayed } = known;
  const found = entries.filter((e) => matches(e, id));
  if (!found.length && replayedBefore(id, known)) {
    print(`${id} was replayed to ${topic} and is no longer on ${deadLetterTopic(topic)}`);
    return;
  }
  if (!found.length) throw new DlqUsageError(`no dead letter ${id} on ${deadLetterTopic(topic)}`);
  for (const e of found) {
    let payload: unknown;
    try {
      payload = JSON.parse(e.value?.toString('utf8') ?? 'null');
    } catch {
      payload = `(not JSON, ${e.value?.length ?? 0} bytes)`;
    }
    print(
      JSON.stringify(
        {
          dlq: deadLetterTopic(topic),
          position: entryId(e),
          replayed: replayed.has(entryId(e)),
          reason: redactText(e.headers['dlq_reason'] ?? ''),
          code: e.headers['dlq_code'],
          headers: redact(withoutDlqHeaders(e.headers)),
          failure: redact(
            Object.fromEntries(
              Object.entries(e.headers).filter(([k]) => k.startsWith('dlq_') && k !== 'dlq_reason'),
            ),
          ),
          payload: redact(payload),
        },
        null,
        2,
      ),
    );
  }
}

/**
 * Re-publishes dead letters to their source topic with the original key and headers (minus
 * dlq_*), records each on `<dlq>.replayed` and trims the replayed head off the DLQ. An entry
 * already recorded is skipped, so replaying twice sends once; an entry sent but not yet
 * recorded (a crash in between) is sent again, which the idempotent handlers absorb.
 */
export async function replay(
  bus: EventBus,
  topicName: string | undefined,
  opts: { id?: string; all?: boolean },
  print: Print,
): Promise<{ replayed: number; skipped: number }> {
  const topic = knownTopic(topicName);
  if (!opts.id && !opts.all)
    throw new DlqUsageError('say what to replay: --id <ce_id or partition:offset>, or --all');
  const physicalDlq = bus.physical(deadLetterTopic(topic));
  const known = await entriesOf(bus, topic);
  const { entries, replayed } = known;
  const chosen = opts.all ? entries : entries.filter((e) => matches(e, opts.id!));
  if (!chosen.length && opts.id && replayedBefore(opts.id, known)) {
    print(`${deadLetterTopic(topic)}: ${opts.id} was replayed before, nothing sent`);
    return { replayed: 0, skipped: 1 };
  }
  if (!chosen.length && opts.all) {
    print(`${deadLetterTopic(topic)}: nothing waiting`);
    return { replayed: 0, skipped: 0 };
  }
  if (!chosen.length) throw new DlqUsageError(`no dead letter ${opts.id ?? ''} on ${deadLetterTopic(topic)}`);
  await ensureMarkerTopic(bus, physicalDlq);

  let sent = 0;
  let skipped = 0;
  for (const e of chosen) {
    if (replayed.has(entryId(e))) {
      skipped++;
      continue;
    }
    // The source is the topic this DLQ belongs to, never a header's say-so.
    await bus.sendRaw(topic, { key: e.key, value: e.value, headers: withoutDlqHeaders(e.headers) });
    await bus.sendRaw(replayedMarkerTopic(deadLetterTopic(topic)), {
      key: entryId(e),
      value: JSON.stringify({ ceId: e.headers['ce_id'], replayedAt: new Date().toISOString() }),
      headers: {},
    });
    replayed.add(entryId(e));
    sent++;
  }
  await trimReplayedHead(bus.adminClient, physicalDlq, entries, replayed);
  print(
    `${deadLetterTopic(topic)}: replayed ${sent} to ${topic}${skipped ? `, ${skipped} already replayed before` : ''}`,
  );
  return { replayed: sent, skipped };
}

async function ensureMarkerTopic(bus: EventBus, physicalDlq: string): Promise<void> {
  const marker = replayedMarkerTopic(physicalDlq);
  const admin = bus.adminClient;
  if ((await admin.listTopics()).includes(marker)) return;
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      {
        topic: marker,
        numPartitions: 1,
        replicationFactor: -1,
        configEntries: [{ name: 'cleanup.policy', value: 'compact' }],
      },
    ],
  });
}
