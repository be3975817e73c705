import { createLogger, runService, type ConfigSpec } from '@aduan/platform';
import type { ChannelAdapter } from './adapter';
import { runChannel } from './run-channel';

/** The whole `src/main.ts` of an adapter: run it as a process that stops cleanly on SIGTERM. */
export function runChannelMain<S extends ConfigSpec>(adapter: ChannelAdapter<S>): void {
  const logger = createLogger(adapter.service);
  void runService(adapter.service, logger, () => runChannel(adapter, process.env, logger));
}
