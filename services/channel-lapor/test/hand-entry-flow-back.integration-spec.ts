import { runChannel, type RunningChannel } from '@aduan/channel-sdk';
import type { LifecycleState, ReportLifecycle } from '@aduan/contracts';
import { capturedLogger, createTestDatabase, eventually, testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { lapor } from '../src/lapor';
import { startLaporStandIn, TOKEN, type LaporStandIn } from './lapor-stand-in';

const HAND_ID = 'LPR-20261130-0042';

/** How many lifecycle events the flow back has finished with (the status group's handled count). */
async function transitionsHandled(running: RunningChannel): Promise<number> {
  const counter = running.context.metrics.registry.getSingleMetric('aduan_events_consumed_total');
  const { values } = (await counter?.get()) ?? { values: [] };
  return values
    .filter(
      (v) =>
        v.labels['topic'] === 'aduan.report.lifecycle.v1' &&
        v.labels['group'] === 'aduan.channel-lapor.status' &&
        v.labels['result'] === 'ok',
    )
    .reduce((sum, v) => sum + v.value, 0);
}

/** The sequences of a report's transitions channel-lapor holds, not knowing it as LAPOR!'s yet. */
const heldIn = async (running: RunningChannel, reportId: string): Promise<number[]> =>
  (
    (await running.context.store.db.query(
      'SELECT sequence FROM lapor_held_status_change WHERE report_id = $1 ORDER BY sequence',
      [reportId],
    )) as Array<{ sequence: number }>
  ).map((r) => r.sequence);

/**
 * The status service answers an officer's hand entry of a LAPOR! item with its first transition
 * at once, while channel-lapor learns that the report is LAPOR!'s from the same entry in another
 * consumer group: the transition may come first. Here it always does, and channel-lapor is even
 * restarted in between; LAPOR! must still get that first change, once, before the later ones.
 */
describe("channel-lapor: transitions of a report it does not know yet as LAPOR!'s", () => {
  let api: LaporStandIn;
  let db: Awaited<ReturnType<typeof createTestDatabase>>;
  let running: RunningChannel | undefined;
  let env: NodeJS.ProcessEnv;
  const { logger, lines } = capturedLogger('channel-lapor');
  const held = (reportId: string) => heldIn(running!, reportId);

  beforeAll(async () => {
    [db, api] = await Promise.all([createTestDatabase('lapor_hand_first'), startLaporStandIn()]);
    env = {
      LAPOR_PORT: '0',
      LAPOR_API_BASE_URL: api.url,
      LAPOR_API_TOKEN: TOKEN,
      LAPOR_POLL_INTERVAL_SECONDS: '1',
      LAPOR_RETRY_MAX_SECONDS: '1',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
      KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
    };
  });
  afterAll(async () => {
    await running?.stop();
    await api?.close();
    await db?.drop();
  });

  it('posts the early transition to LAPOR! once, across a restart, in order with the later ones', async () => {
    api.exists(HAND_ID); // LAPOR! has the item; the city heard of it by telephone from LAPOR!'s desk
    running = await runChannel(lapor, env, logger);
    const { reportId, trackingCode } = running.context.intake.receiptFor('lapor', HAND_ID);
    const transition = (sequence: number, from: LifecycleState | null, to: LifecycleState, note: string) =>
      running!.context.bus.publish('aduan.report.lifecycle.v1', {
        reportId,
        trackingCode,
        sequence,
        from,
        to,
        at: new Date(Date.UTC(2026, 10, 30, 5, sequence)).toISOString(),
        actor: { kind: sequence === 3 ? 'officer' : 'system' },
        publicNote: note,
        evidence: [],
      } satisfies ReportLifecycle);

    // The status service's first transition, handled before channel-lapor has heard of the entry.
    await transition(1, null, 'RECEIVED', 'Laporan diterima dan diberi nomor.');
    await eventually(async () => expect(await transitionsHandled(running!)).toBe(1));

    await running.stop();
    running = await runChannel(lapor, env, logger);

    // The officer's entry, published as channel-officer does it: LAPOR!'s id is the source id.
    await running.context.intake.submit({
      channel: 'lapor',
      sourceId: HAND_ID,
      reporter: { anonymous: false, name: 'Budi Santoso', replyTo: HAND_ID },
      text: 'Pohon tumbang menutup sebagian jalan, belum ada petugas.',
      receivedAt: new Date('2026-11-30T05:00:00.000Z'),
    });
    await transition(2, 'RECEIVED', 'RECEIVED', 'Laporan diteruskan ke Suku Dinas Bina Marga.');
    await transition(3, 'RECEIVED', 'REJECTED', 'Laporan ditolak: Kewenangan pemerintah pusat');

    const statusPosts = () => api.posted.filter((p) => p.kind === 'status' && p.laporId === HAND_ID);
    await eventually(() => expect(statusPosts()).toHaveLength(3));
    expect(statusPosts().map((p) => [p.body['urutan'], p.body['status_instansi'], p.body['status']])).toEqual(
      [
        [1, 'RECEIVED', 'diterima'],
        [2, 'RECEIVED', 'diterima'],
        [3, 'REJECTED', 'dikembalikan'],
      ],
    );
    expect(statusPosts()[0]!.body['keterangan']).toBe('Laporan diterima dan diberi nomor.');
    expect(statusPosts()[0]!.idEksternal).toBe(`lapor-status:${reportId}:1`);

    // Once means once: nothing is posted again later, not even as a repeat LAPOR! recognises.
    await running.flushOutbox();
    await new Promise((r) => setTimeout(r, 1500));
    expect(statusPosts()).toHaveLength(3);
    expect(api.repeats).toBe(0);
    expect(lines.join('\n')).not.toMatch(/Budi|Pohon/);
    // Queued, so no longer held.
    expect(await held(reportId)).toEqual([]);
  }, 60_000);

  it("another channel's transitions are held only for a day, then deleted", async () => {
    const other = running!.context.intake.receiptFor('sms', 'SM-20261130-7');
    const handled = await transitionsHandled(running!);
    const publish = (sequence: number) =>
      running!.context.bus.publish('aduan.report.lifecycle.v1', {
        ...other,
        sequence,
        from: sequence === 1 ? null : 'RECEIVED',
        to: 'RECEIVED',
        at: new Date().toISOString(),
        actor: { kind: 'system' },
        evidence: [],
      } satisfies ReportLifecycle);
    await publish(1);
    await eventually(async () => expect(await transitionsHandled(running!)).toBe(handled + 1));
    expect(await held(other.reportId)).toEqual([1]);
    // A day and a minute later, the next transition held lets it go.
    await running!.context.store.db.query(
      `UPDATE lapor_held_status_change SET held_at = now() - interval '24 hours 1 minute' WHERE report_id = $1`,
      [other.reportId],
    );
    await publish(2);
    await eventually(async () => expect(await transitionsHandled(running!)).toBe(handled + 2));
    expect(await held(other.reportId)).toEqual([2]);
    expect(api.posted.filter((p) => p.idEksternal.includes(other.reportId))).toEqual([]);
  });
});
