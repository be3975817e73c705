import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  createTestDatabase,
  startServiceProcess,
  testEnv,
  uniqueTopicPrefix,
  type ServiceProcess,
  type TestDatabase,
} from '@aduan/testing';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { build } = require('./compile') as { build: () => { compiled: number; copied: number } };

/**
 * The services as the container image runs them: compiled by `npm run build` into dist/, with
 * their data files beside them, and started with plain node.
 */
describe('services compiled by npm run build', () => {
  let db: TestDatabase;
  const started: ServiceProcess[] = [];

  beforeAll(async () => {
    const built = build();
    expect(built.compiled).toBeGreaterThan(100);
    db = await createTestDatabase('built_services');
  });
  afterAll(async () => {
    await Promise.all(started.map((s) => s.kill().catch(() => undefined)));
    await db?.drop();
  });

  const common = () => ({
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testEnv.kafkaBrokers.join(','),
    KAFKA_TOPIC_PREFIX: uniqueTopicPrefix(),
  });

  it('takes a JAKI complaint in and answers its report number', async () => {
    const jaki = await startServiceProcess(
      'channel-jaki',
      { ...common(), JAKI_PORT: '0', JAKI_API_KEYS: 'jaki-android:built-key' },
      60_000,
      [],
      true,
    );
    started.push(jaki);
    const res = await fetch(`${new URL(jaki.url).origin}/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'built-key' },
      body: JSON.stringify({
        text: 'Saluran air mampet di depan SDN 03 Menteng, air meluap ke jalan.',
        location: { lat: -6.1957, lon: 106.8322 },
      }),
    });
    expect(res.status).toBe(202);
    expect(await res.json()).toMatchObject({ trackingCode: expect.stringMatching(/^[A-Z0-9-]+$/) });
    await jaki.stop();
  }, 90_000);

  it('starts the router on its shipped routing data and the status service on its holidays', async () => {
    for (const [service, port] of [
      ['router', 'ROUTER_PORT'],
      ['status', 'STATUS_PORT'],
    ] as const) {
      const proc = await startServiceProcess(service, { ...common(), [port]: '0' }, 60_000, [], true);
      started.push(proc);
      const ready = await fetch(`${new URL(proc.url).origin}/health/ready`);
      expect({ service, status: ready.status }).toEqual({ service, status: 200 });
      await proc.stop();
    }
  }, 120_000);

  it('loads the browser driver, the image library and the trace exporter only in a service that uses them', () => {
    // What each service's modules pull in at start-up, read in a fresh node from the compiled tree.
    const loaded = (service: string) =>
      JSON.parse(
        execFileSync(
          process.execPath,
          [
            '-e',
            `require(${JSON.stringify(join(__dirname, '../../dist/services', service, 'src/app.js'))});` +
              'const names = Object.keys(require.cache).map((p) => /node_modules\\/((@[^/]+\\/)?[^/]+)/.exec(p)?.[1]);' +
              'console.log(JSON.stringify([...new Set(names.filter(Boolean))]))',
          ],
          { encoding: 'utf8' },
        ),
      ) as string[];
    const heavy = /^(whatsapp-web\.js|puppeteer|sharp|exifr|@opentelemetry\/exporter-trace-otlp-http)$/;
    for (const service of ['channel-whatsapp', 'channel-jaki', 'status', 'router'])
      expect({ service, heavy: loaded(service).filter((m) => heavy.test(m)) }).toEqual({
        service,
        heavy: [],
      });
    // The check sees packages at all: the services do load their Kafka client.
    expect(loaded('router')).toContain('kafkajs');
  });
});
