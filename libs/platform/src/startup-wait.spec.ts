import { Logger } from './logger';
import { StartupGaveUp, waitForStartup } from './startup-wait';

function recordingLogger(): { logger: Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  return {
    lines,
    logger: new Logger({ service: 'test' }, 'debug', (line) => lines.push(JSON.parse(line))),
  };
}

class NotYet extends Error {}

describe('waitForStartup', () => {
  it('keeps trying while the dependency is still coming up, saying what it waits for', async () => {
    const { logger, lines } = recordingLogger();
    let calls = 0;
    const value = await waitForStartup(
      async () => {
        if (++calls < 3) throw new NotYet('no leader for aduan.complaint.received.v1[0]');
        return 'up';
      },
      {
        what: 'Kafka at k:9092',
        logger,
        timeoutMs: 5_000,
        isRetriable: (e) => e instanceof NotYet,
        baseMs: 1,
      },
    );
    expect(value).toBe('up');
    expect(calls).toBe(3);
    expect(lines.filter((l) => l['msg'] === 'waiting for Kafka at k:9092')).toHaveLength(2);
    expect(lines[0]).toMatchObject({ reason: 'no leader for aduan.complaint.received.v1[0]', attempt: 1 });
  });

  it('fails at once on an error that waiting cannot cure', async () => {
    const { logger } = recordingLogger();
    let calls = 0;
    await expect(
      waitForStartup(
        async () => {
          calls++;
          throw new Error('password authentication failed');
        },
        { what: 'PostgreSQL', logger, timeoutMs: 5_000, isRetriable: (e) => e instanceof NotYet },
      ),
    ).rejects.toThrow('password authentication failed');
    expect(calls).toBe(1);
  });

  it('gives up after the configured time with the last reason and what to check', async () => {
    const { logger } = recordingLogger();
    const attempt = waitForStartup(
      async () => {
        throw new NotYet('connect ECONNREFUSED 127.0.0.1:9092');
      },
      {
        what: 'Kafka at 127.0.0.1:9092',
        logger,
        timeoutMs: 50,
        isRetriable: () => true,
        baseMs: 5,
        hint: 'Check that the broker runs and that KAFKA_BROKERS names it',
      },
    );
    await expect(attempt).rejects.toThrow(StartupGaveUp);
    await expect(attempt).rejects.toThrow(
      /gave up waiting for Kafka at 127.0.0.1:9092 after 0 s \(\d+ attempts\): connect ECONNREFUSED 127.0.0.1:9092\. Check that the broker runs and that KAFKA_BROKERS names it, or raise STARTUP_WAIT_SECONDS/,
    );
  });
});
