import { ConfigError, createLogger, kafkaSettings, loadConfig } from '@aduan/platform';
import { busFromConfig, kafkaClientSettings } from '../src';

/** KAFKA_LINGER_MS and KAFKA_BATCH_MAX_* are refused at start-up, before anything connects. */
function problems(env: Record<string, string>): string[] {
  try {
    busFromConfig(
      'test',
      loadConfig('test', kafkaSettings, {}),
      createLogger('test', 'error'),
      undefined,
      env,
    );
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
}

describe('batching settings', () => {
  it('take their defaults when unset: a few milliseconds of linger, a thousand records, under 1 MiB', () => {
    expect(problems({})).toEqual([]);
    expect(loadConfig('test', kafkaClientSettings, {})).toEqual({
      KAFKA_LINGER_MS: 5,
      KAFKA_BATCH_MAX_RECORDS: 1000,
      KAFKA_BATCH_MAX_BYTES: 900000,
      KAFKA_SESSION_TIMEOUT_MS: 30000,
    });
  });

  it('refuse values that are not whole numbers or out of range, naming each', () => {
    expect(
      problems({ KAFKA_LINGER_MS: 'soon', KAFKA_BATCH_MAX_RECORDS: '0', KAFKA_BATCH_MAX_BYTES: '10' }),
    ).toEqual([
      'KAFKA_LINGER_MS must be a whole number, got "soon"',
      'KAFKA_BATCH_MAX_RECORDS must be at least 1',
      'KAFKA_BATCH_MAX_BYTES must be at least 1024',
    ]);
    expect(problems({ KAFKA_LINGER_MS: '60000' })).toEqual(['KAFKA_LINGER_MS must be at most 1000']);
    // Below the broker's group.min.session.timeout.ms every join would be refused.
    expect(problems({ KAFKA_SESSION_TIMEOUT_MS: '1000' })).toEqual([
      'KAFKA_SESSION_TIMEOUT_MS must be at least 6000',
    ]);
  });

  it('are taken from the service configuration when it declares them', () => {
    const config = {
      ...loadConfig('test', kafkaSettings, {}),
      ...loadConfig('test', kafkaClientSettings, {}),
    };
    expect(() =>
      busFromConfig('test', config, createLogger('test', 'error'), undefined, { KAFKA_LINGER_MS: 'soon' }),
    ).not.toThrow();
  });
});
