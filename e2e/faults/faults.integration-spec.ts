import { testEnv, uniqueTopicPrefix } from '@aduan/testing';
import { clean, runFaults } from './harness';

/**
 * The short run of `npm run test:faults` (docs/faults.md): the services as their own processes on
 * a PostgreSQL this test starts from the installed binaries, under a light load; the WhatsApp/SMS
 * adapter is killed with SIGKILL and restarted, then the database stops as in a crash and comes
 * back. Every accepted complaint is routed once and acknowledged once, and no DLQ holds anything.
 * The shared broker is used under a topic prefix of its own, and never restarted.
 */
describe('complaints under faults', () => {
  it('survives a killed adapter and a crashed database without loss, repeats or dead letters', async () => {
    const results = await runFaults({
      faults: ['adapter', 'postgres'],
      rate: 2,
      loadSeconds: 3,
      outageSeconds: 3,
      brokers: testEnv.kafkaBrokers.join(','),
      topicPrefix: uniqueTopicPrefix(),
      // TEST_LOGS=1 shows each step, as the other suites show their logs.
      progress: (line) => process.env['TEST_LOGS'] && process.stdout.write(`${line}\n`),
    });
    for (const r of results)
      expect({ ...r, clean: clean(r) }).toMatchObject({
        fault: r.fault,
        lost: 0,
        duplicated: 0,
        deadLettered: 0,
        acksMissing: 0,
        acksDuplicated: 0,
        refused: [],
        clean: true,
      });
  }, 150_000);
});
