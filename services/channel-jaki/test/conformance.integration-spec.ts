import {
  DEV_TRACKING_SECRET,
  reportIdFor,
  runChannel,
  trackingCodeFor,
  type RunningChannel,
} from '@aduan/channel-sdk';
import {
  capturedLogger,
  createTestDatabase,
  describeChannelConformance,
  testEnv,
  uniqueTopicPrefix,
  type ConformanceHarness,
} from '@aduan/testing';
import { jaki } from '../src/app';
import { appBackend, PUSH_SECRET, statusReceived } from './jaki-stand-ins';

const KEY = 'conformance-key';

async function post(running: RunningChannel, id: string, body: unknown, key = KEY): Promise<Response> {
  return fetch(`http://127.0.0.1:${running.port}/v1/reports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key, 'idempotency-key': id },
    body: JSON.stringify(body),
  });
}

/**
 * The JAKI API has no provider signature and no acknowledgement message: the app gets the
 * tracking code in the 202. What it is sent through the outbox is the push of each state change
 * to its backend, so the suite's "acknowledgement" is the push of the first one (RECEIVED), which
 * the harness publishes as the status service would; "forged" is a wrong API key.
 */
async function harness(): Promise<ConformanceHarness<RunningChannel>> {
  const [db, backend] = await Promise.all([createTestDatabase('jaki_conformance'), appBackend()]);
  const { logger } = capturedLogger('channel-jaki');
  const env: NodeJS.ProcessEnv = {
    JAKI_PORT: '0',
    JAKI_API_KEYS: `jaki-android:${KEY}`,
    JAKI_PUSH_WEBHOOK_URL: backend.url,
    JAKI_PUSH_SECRET: PUSH_SECRET,
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  };
  return {
    channel: 'jaki',
    start: () => runChannel(jaki, env, logger),
    deliver: async (running, id, text) => {
      const res = await post(running, id, { text });
      if (res.status === 202) {
        const { reportId, trackingCode } = (await res.json()) as { reportId: string; trackingCode: string };
        await statusReceived(running, reportId, trackingCode);
      }
      return res.status;
    },
    deliverForged: async (running, id) =>
      (await post(running, id, { text: `Palsu ${id}` }, 'not-a-key')).status,
    // A position outside the globe breaks the event contract: the app is told 400 at once.
    deliverUnreadable: async (running, id) =>
      (await post(running, id, { text: `Lokasi ${id}`, location: { lat: 912, lon: 106.8 } })).status,
    sent: () => backend.pushes().map((p) => ({ to: p.trackingCode, text: JSON.stringify(p) })),
    addressOf: (id) => trackingCodeFor(reportIdFor('jaki', `jaki-android:${id}`), DEV_TRACKING_SECRET),
    providerUp: (up) => {
      backend.up = up;
    },
    close: async () => {
      await backend.close();
      await db.drop();
    },
  };
}

describe('channel-jaki: the JAKI app API on the channel kit', () => {
  describeChannelConformance(harness, { ingress: 'api' });
});
