import type { Notification } from '@aduan/contracts';
import { capturedLogger, collectEvents, eventually } from '@aduan/testing';
import type { StatusService } from '../src/app';
import { createStack, receivedEvent, routedEvent, start, TestClock, type Stack } from './harness';

/**
 * Received and routed events come on different topics, so the status service may record a
 * report's routing before its intake. The reporter is known only from the intake; the routing's
 * news to them must not be lost on the way.
 */
describe('status: the reporter hears of the routing whichever event arrives first', () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;
  let service: StatusService;
  let notifications: Notification[];

  beforeAll(async () => {
    stack = await createStack('status_notify_order', logger);
    service = await start(stack, logger, new TestClock(new Date('2026-01-05T04:00:00Z')));
    notifications = await collectEvents(stack.bus, 'aduan.notification.v1');
  });
  afterAll(async () => {
    await service?.stop();
    await stack?.close();
  });

  const reportState = async (id: string) =>
    ((await service.db.query('SELECT state FROM report WHERE id = $1', [id])) as Array<{ state: string }>)[0]
      ?.state;

  it.each([
    ['intake first', false],
    ['routing first', true],
  ])('%s: one message about the triage, on the reporter’s channel', async (_order, routingFirst) => {
    const received = receivedEvent();
    const routed = routedEvent(received, { outcome: 'TRIAGE', unit: null, area: null });
    const [first, second] = routingFirst
      ? ([
          ['aduan.complaint.routed.v1', routed],
          ['aduan.complaint.received.v1', received],
        ] as const)
      : ([
          ['aduan.complaint.received.v1', received],
          ['aduan.complaint.routed.v1', routed],
        ] as const);
    await stack.bus.publish(first[0], first[1] as never);
    // The first is stored before the second is even published.
    await eventually(async () => expect(await reportState(received.reportId)).toBeDefined());
    await stack.bus.publish(second[0], second[1] as never);

    await eventually(() =>
      expect(notifications.filter((n) => n.reportId === received.reportId)).toEqual([
        expect.objectContaining({
          state: 'TRIAGE',
          channel: 'whatsapp',
          trackingCode: received.trackingCode,
        }),
      ]),
    );
    // Delivered again, neither event makes a second message.
    await stack.bus.publish('aduan.complaint.received.v1', received);
    await stack.bus.publish('aduan.complaint.routed.v1', routed);
    await new Promise((r) => setTimeout(r, 1500));
    expect(notifications.filter((n) => n.reportId === received.reportId)).toHaveLength(1);
    expect(await reportState(received.reportId)).toBe('TRIAGE');
  });
});
