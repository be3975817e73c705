import { logLevel, type logCreator } from 'kafkajs';
import type { Logger } from '@aduan/platform';

/** Routes kafkajs' own messages into the service's JSON log; below WARN they are noise. */
export function kafkaLogCreator(logger: Logger): logCreator {
  return () =>
    ({ level, log }) => {
      const { message, ...extra } = log;
      // Retries are bounded on purpose: an HTTP intake must answer 503 when Kafka is away
      // rather than hang; the report id is deterministic, so the client's retry is safe.
      if (String(message).startsWith('Limiting retries for the idempotent producer')) return;
      const fields = { component: 'kafkajs', broker: extra['broker'], error: extra['error'] };
      if (level === logLevel.ERROR) logger.error(String(message), fields);
      else if (level === logLevel.WARN) logger.warn(String(message), fields);
    };
}
