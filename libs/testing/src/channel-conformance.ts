/**
 * The conformance suite every channel adapter runs: the promises the channel kit makes to
 * citizens and operators, checked against the adapter itself on a real broker and database,
 * with its provider replaced by a local stand-in.
 *
 *   describeChannelConformance(() => myHarness());
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

export interface ConformanceHarness<R extends RunningChannel = RunningChannel> {
  channel: string;
  /** Starts the adapter (again, after `stop`) on the same store and topics. */
  start(): Promise<R>;
  /** Delivers a complaint as the provider would; the same `id` again is a redelivery. */
  deliver(running: R, id: string, text: string): Promise<number>;
  /** Delivers a request whose signature does not hold; returns the HTTP status. */
  deliverForged(running: R, id: string): Promise<number>;
  /** Delivers an item the adapter can never read (it breaks the event contract). */
  deliverUnreadable(running: R, id: string): Promise<number>;
  /** What the provider stand-in was asked to send to citizens so far. */
  sent(): CitizenMessage[];
  /** The citizen's address on the channel for a delivered `id`. */
  addressOf(id: string): string;
  /** Makes the provider refuse (as in an outage) or accept sends. */
  providerUp(up: boolean): void;
  close(): Promise<void>;
}

export function describeChannelConformance<R extends RunningChannel>(
  makeHarness: () => Promise<ConformanceHarness<R>>,
): void {
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
    });

    it('a redelivered source message creates nothing: one report, one acknowledgement', async () => {
      const received = await collectEvents(running!.context.bus, 'aduan.complaint.received.v1');
      const id = fresh();
      expect(await h.deliver(running!, id, `Lampu jalan mati total di gang ${id}`)).toBe(200);
      expect(await h.deliver(running!, id, `Lampu jalan mati total di gang ${id}`)).toBe(200);
      await eventually(() => expect(acksTo(id)).toHaveLength(1));
      const mine = (e: ComplaintReceived) => e.text.includes(id);
      await eventually(() => expect(received.filter(mine).length).toBeGreaterThan(0));
      expect(new Set(received.filter(mine).map((e) => e.reportId)).size).toBe(1);
      await running!.flushOutbox();
      expect(acksTo(id)).toHaveLength(1);
    });

    it('a reply goes out exactly once across a restart', async () => {
      h.providerUp(false);
      const id = fresh();
      expect(await h.deliver(running!, id, `Sampah menumpuk di pinggir kali ${id}`)).toBe(200);
      await running!.flushOutbox();
      expect(acksTo(id)).toHaveLength(0);
      await running!.stop();
      running = undefined;
      h.providerUp(true);
      running = await h.start();
      await eventually(() => expect(acksTo(id)).toHaveLength(1));
      // The provider delivers the same message again after the restart: still one reply.
      expect(await h.deliver(running, id, `Sampah menumpuk di pinggir kali ${id}`)).toBe(200);
      await running.flushOutbox();
      expect(acksTo(id)).toHaveLength(1);
    });

    it('a bad signature is refused and publishes nothing', async () => {
      const received = await collectEvents(running!.context.bus, 'aduan.complaint.received.v1');
      const id = fresh();
      expect(await h.deliverForged(running!, id)).toBe(401);
      const probe = fresh();
      expect(await h.deliver(running!, probe, `Got mampet ${probe}`)).toBe(200);
      // Taken in after the forgery: had the forgery been published, it would be there by now.
      await eventually(() => expect(received.some((e) => e.text.includes(probe))).toBe(true));
      expect(received.some((e) => e.text.includes(id))).toBe(false);
    });

    it('an unreadable item is quarantined and visible, and intake goes on', async () => {
      const id = fresh();
      expect(await h.deliverUnreadable(running!, id)).toBe(200);
      const kept = await running!.context.quarantine.list(h.channel);
      expect(kept.some((q) => q.excerpt?.includes(id))).toBe(true);
      const next = fresh();
      expect(await h.deliver(running!, next, `Pohon tumbang ${next}`)).toBe(200);
      await eventually(() => expect(acksTo(next)).toHaveLength(1));
    });
  });
}
