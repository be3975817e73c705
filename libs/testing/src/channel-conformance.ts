/**
 * The conformance suite every channel adapter runs: the promises the channel kit makes to
 * citizens and operators, checked against the adapter itself on a real broker and database,
 * with its provider replaced by a local stand-in.
 *
 *   describeChannelConformance(() => myHarness());
 *   describeChannelConformance(() => myMailboxHarness(), { ingress: 'poll' });
 */
import type { ComplaintReceived } from '@aduan/contracts';
import { collectEvents } from './event-collector';
import { eventually } from './eventually';

/** The parts of the channel kit's RunningChannel the suite drives (structural: no dependency). */
export interface RunningChannel {
  stop(): Promise<void>;
  flushOutbox(): Promise<number>;
  context: {
    bus: Parameters<typeof collectEvents>[0];
    quarantine: { list(channel?: string): Promise<Array<{ excerpt: string | null }>> };
  };
}

export interface CitizenMessage {
  /** Who the provider was asked to deliver to. */
  to: string;
  text: string;
}

/**
 * A stop that falls while the adapter's consumer groups are still joining waits for the join
 * (kafkajs leaves a group only once it is in it), and a join right after a restart waits for the
 * broker to settle the group: on a loaded CI machine one stop and start took over 60 s.
 */
const RESTART_BUDGET_MS = 120_000;

export interface ConformanceHarness<R extends RunningChannel = RunningChannel> {
  channel: string;
  /** Starts the adapter (again, after `stop`) on the same store and topics. */
  start(): Promise<R>;
  /** Delivers a complaint as the provider would; the same `id` again is a redelivery. */
  deliver(running: R, id: string, text: string): Promise<number>;
  /**
   * Delivers a request whose signature does not hold; returns the HTTP status. A poll source has
   * no signature to forge: it places what the adapter must refuse by its own rules (a mail
   * claiming our own address), resolving 200 once the adapter has read it.
   */
  deliverForged(running: R, id: string): Promise<number>;
  /** Delivers an item the adapter can never read (it breaks the event contract). */
  deliverUnreadable(running: R, id: string): Promise<number>;
  /** What the provider stand-in was asked to send to citizens so far. */
  sent(): CitizenMessage[];
  /** The citizen's address on the channel for a delivered `id`. */
  addressOf(id: string): string;
  /** Makes the provider refuse (as in an outage) or accept sends. */
  providerUp(up: boolean): void;
  /** Poll sources: places a complaint at the source while the adapter is stopped. */
  placeWhileStopped?(id: string, text: string): Promise<void>;
  close(): Promise<void>;
}

export interface ConformanceOptions {
  /**
   * `webhook` (default): the provider posts and `deliver…` return the adapter's HTTP answer.
   * `poll`: the adapter reads the source itself (a mailbox, a feed); `deliver…` place the item
   * there and resolve 200 once the adapter has read it, the harness has `placeWhileStopped`, and
   * the suite adds "a restart resumes from the cursor and misses nothing".
   * `api`: the adapter's own authenticated API (JAKI): a report taken in is answered 202, a wrong
   * API key stands for the bad signature (401), and the client is told at once (400) about an
   * item the contract refuses, instead of it being quarantined.
   */
  ingress?: 'webhook' | 'poll' | 'api';
}

export function describeChannelConformance<R extends RunningChannel>(
  makeHarness: () => Promise<ConformanceHarness<R>>,
  options: ConformanceOptions = {},
): void {
  const poll = options.ingress === 'poll';
  const api = options.ingress === 'api';
  const ok = api ? 202 : 200;
  const forgery = poll
    ? 'a forged item is refused and publishes nothing'
    : 'a bad signature is refused and publishes nothing';
  describe('channel kit conformance', () => {
    let h: ConformanceHarness<R>;
    let running: R | undefined;
    let seq = 0;
    const fresh = () => `${Date.now().toString(36)}${++seq}`;
    const acksTo = (id: string) => h.sent().filter((m) => m.to === h.addressOf(id));

    beforeAll(async () => {
      h = await makeHarness();
      running = await h.start();
    });
    afterAll(async () => {
      await running?.stop();
      await h.close();
    }, RESTART_BUDGET_MS);

    it('a redelivered source message creates nothing: one report, one acknowledgement', async () => {
      const received = await collectEvents(running!.context.bus, 'aduan.complaint.received.v1');
      const id = fresh();
      expect(await h.deliver(running!, id, `Lampu jalan mati total di gang ${id}`)).toBe(ok);
      expect(await h.deliver(running!, id, `Lampu jalan mati total di gang ${id}`)).toBe(ok);
      await eventually(() => expect(acksTo(id)).toHaveLength(1));
      const mine = (e: ComplaintReceived) => e.text.includes(id);
      await eventually(() => expect(received.filter(mine).length).toBeGreaterThan(0));
      expect(new Set(received.filter(mine).map((e) => e.reportId)).size).toBe(1);
      await running!.flushOutbox();
      expect(acksTo(id)).toHaveLength(1);
    });

    it(
      'a reply goes out exactly once across a restart',
      async () => {
        h.providerUp(false);
        const id = fresh();
        expect(await h.deliver(running!, id, `Sampah menumpuk di pinggir kali ${id}`)).toBe(ok);
        await running!.flushOutbox();
        expect(acksTo(id)).toHaveLength(0);
        await running!.stop();
        running = undefined;
        h.providerUp(true);
        running = await h.start();
        await eventually(() => expect(acksTo(id)).toHaveLength(1));
        // The provider delivers the same message again after the restart: still one reply.
        expect(await h.deliver(running, id, `Sampah menumpuk di pinggir kali ${id}`)).toBe(ok);
        await running.flushOutbox();
        expect(acksTo(id)).toHaveLength(1);
      },
      RESTART_BUDGET_MS,
    );

    it(forgery, async () => {
      const received = await collectEvents(running!.context.bus, 'aduan.complaint.received.v1');
      const id = fresh();
      expect(await h.deliverForged(running!, id)).toBe(poll ? 200 : 401);
      const probe = fresh();
      expect(await h.deliver(running!, probe, `Got mampet ${probe}`)).toBe(ok);
      // Taken in after the forgery: had the forgery been published, it would be there by now.
      await eventually(() => expect(received.some((e) => e.text.includes(probe))).toBe(true));
      expect(received.some((e) => e.text.includes(id))).toBe(false);
    });

    it(
      api
        ? 'an unreadable item is refused to the client, publishes nothing, and intake goes on'
        : 'an unreadable item is quarantined and visible, and intake goes on',
      async () => {
        const received = await collectEvents(running!.context.bus, 'aduan.complaint.received.v1');
        const id = fresh();
        expect(await h.deliverUnreadable(running!, id)).toBe(api ? 400 : ok);
        if (!api) {
          const kept = await running!.context.quarantine.list(h.channel);
          expect(kept.some((q) => q.excerpt?.includes(id))).toBe(true);
        }
        const next = fresh();
        expect(await h.deliver(running!, next, `Pohon tumbang ${next}`)).toBe(ok);
        await eventually(() => expect(acksTo(next)).toHaveLength(1));
        expect(received.some((e) => e.text.includes(id))).toBe(false);
      },
    );

    if (poll)
      it(
        'a restart resumes from the cursor and misses nothing',
        async () => {
          const before = fresh();
          expect(await h.deliver(running!, before, `Trotoar amblas ${before}`)).toBe(ok);
          await eventually(() => expect(acksTo(before)).toHaveLength(1));
          await running!.stop();
          running = undefined;
          const [a, b] = [fresh(), fresh()];
          await h.placeWhileStopped!(a, `Kabel listrik menjuntai ${a}`);
          await h.placeWhileStopped!(b, `Saluran air tersumbat ${b}`);
          running = await h.start();
          const received = await collectEvents(running.context.bus, 'aduan.complaint.received.v1');
          await eventually(() => expect([...acksTo(a), ...acksTo(b)]).toHaveLength(2));
          const about = (id: string) => received.filter((e) => e.text.includes(id));
          await eventually(() => expect([...about(a), ...about(b)]).toHaveLength(2));
          // What was read before the restart is not read again: no second event, no second reply.
          await running.flushOutbox();
          await eventually(() => expect(about(before).length).toBeGreaterThan(0));
          expect(about(before)).toHaveLength(1);
          expect(acksTo(before)).toHaveLength(1);
        },
        RESTART_BUDGET_MS,
      );
  });
}
