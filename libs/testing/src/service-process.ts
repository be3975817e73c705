import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';

export interface ServiceProcess {
  /** The first URL the service printed when it started. */
  url: string;
  child: ChildProcess;
  /** Every line it wrote, for assertions and for the failure message. */
  lines: string[];
  /** Ends it at once, as a crash or an OOM kill would: nothing is flushed or drained. */
  kill(): Promise<void>;
  stop(): Promise<void>;
}

const ROOT = join(__dirname, '../../..');

/** The heap bounds the container image sets (its Dockerfile's NODE_OPTIONS; ADR 0081). */
export const IMAGE_NODE_OPTIONS = '--max-old-space-size=96 --max-semi-space-size=8';

/**
 * Runs a service's `src/main.ts` as its own process, as `npm start` does, or its compiled
 * `dist/services/<service>/src/main.js` (`npm run build`) with the image's heap bounds, as
 * containers do.
 */
export async function startServiceProcess(
  service: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = 60_000,
  /** Options for node itself, e.g. `--cpu-prof`, which NODE_OPTIONS does not take. */
  nodeArgs: readonly string[] = [],
  built = false,
): Promise<ServiceProcess> {
  const entry = built
    ? [join('dist', 'services', service, 'src', 'main.js')]
    : ['-r', '@swc-node/register', join('services', service, 'src', 'main.ts')];
  const child = spawn(process.execPath, [...nodeArgs, ...entry], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...(built ? { NODE_OPTIONS: IMAGE_NODE_OPTIONS } : {}),
      ...env,
      KAFKAJS_NO_PARTITIONER_WARNING: '1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${service} did not start:\n${lines.slice(-20).join('\n')}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        try {
          const parsed = JSON.parse(line) as { msg?: string; urls?: string[] };
          if (parsed.msg === `${service} started` && parsed.urls?.[0]) {
            clearTimeout(timer);
            resolve(parsed.urls[0]);
          }
        } catch {
          /* not a log line of ours */
        }
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${service} exited during start:\n${lines.slice(-20).join('\n')}`));
    });
  });
  return {
    url,
    child,
    lines,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
