import { ConfigError } from './config';
import type { Logger } from './logger';
import { flushTraces } from './tracing';

export interface RunningService {
  /** URLs to print for the operator. */
  urls: string[];
  /** Finish in-flight work, commit, disconnect. */
  stop(): Promise<void>;
}

const EX_CONFIG = 78;

/**
 * The process shell every service runs in: start, print where it listens, stop cleanly on
 * SIGTERM/SIGINT (containers and Ctrl-C), and exit non-zero with a readable reason when it
 * cannot start.
 */
export async function runService(
  name: string,
  logger: Logger,
  start: () => Promise<RunningService>,
): Promise<void> {
  process.on('unhandledRejection', (reason) => {
    logger.error('unhandled rejection', { error: reason instanceof Error ? reason.message : String(reason) });
    process.exit(1);
  });

  let running: RunningService;
  try {
    running = await start();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(EX_CONFIG);
    }
    logger.error(`${name} failed to start`, { error: err instanceof Error ? err.message : String(err) });
    process.exit(1);
  }
  logger.info(`${name} started`, { urls: running.urls });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${name} stopping`, { signal });
    const force = setTimeout(() => {
      logger.error(`${name} did not stop within 25 s; exiting`);
      process.exit(1);
    }, 25_000);
    force.unref();
    try {
      await running.stop();
      // Spans still batched for the collector go out before the process ends.
      await flushTraces();
      logger.info(`${name} stopped`);
      process.exit(0);
    } catch (err) {
      logger.error(`${name} stopped with an error`, {
        error: err instanceof Error ? err.message : String(err),
      });
      process.exit(1);
    }
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}
