import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { eventually } from '@aduan/testing';

const ROOT = join(__dirname, '..', '..', '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface StatusProcess {
  url: string;
  /** Every line the service wrote, for assertions on its logs. */
  lines: string[];
  stop(): Promise<void>;
}

/**
 * The status service as it runs in production: its own process, started from its main file.
 * Services never import each other, so the web tests talk to it only over HTTP and Kafka.
 */
export async function startStatusProcess(env: Record<string, string>): Promise<StatusProcess> {
  const port = await freePort();
  const lines: string[] = [];
  const child: ChildProcess = spawn(
    process.execPath,
    ['-r', '@swc-node/register', join('services', 'status', 'src', 'main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, KAFKAJS_NO_PARTITIONER_WARNING: '1', ...env, STATUS_PORT: String(port) },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  for (const stream of [child.stdout!, child.stderr!]) {
    createInterface({ input: stream }).on('line', (line) => {
      lines.push(line);
      if (process.env['TEST_LOGS']) process.stdout.write(`[status] ${line}\n`);
    });
  }
  let exit: number | null | undefined;
  const exited = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exit = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      eventually(
        async () => {
          const res = await fetch(`${url}/health/ready`);
          if (!res.ok) throw new Error(`status not ready: ${res.status}`);
        },
        { timeoutMs: 45_000, intervalMs: 250 },
      ),
      exited.then(() => {
        throw new Error(`status exited with ${exit}:\n${lines.slice(-20).join('\n')}`);
      }),
    ]);
  } catch (err) {
    child.kill('SIGKILL');
    throw err;
  }
  return {
    url,
    lines,
    async stop() {
      if (exit !== undefined) return;
      child.kill('SIGTERM');
      const force = setTimeout(() => child.kill('SIGKILL'), 20_000);
      await exited;
      clearTimeout(force);
    },
  };
}
