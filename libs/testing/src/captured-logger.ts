import { Logger } from '@aduan/platform';

/** A real Logger whose lines are kept for assertions (e.g. that no contact data was written). */
export function capturedLogger(service = 'test'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = new Logger({ service }, 'debug', (line) => {
    lines.push(line);
    if (process.env['TEST_LOGS']) process.stdout.write(line + '\n');
  });
  return { logger, lines };
}
