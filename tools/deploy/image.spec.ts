import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { settingsOf } from '../dev/service-settings';
import { dockerIgnored, parseDockerfile, readDockerfile, type Stage } from './dockerfile';
import { IMAGE_NODE_OPTIONS } from '@aduan/testing';
import { composeServices } from './render';
import { ROOT } from './values';

// There is no Docker engine where the tests run: the image is checked by reading its
// Dockerfile and .dockerignore, and its HEALTHCHECK script is run against a local server.

const dockerfile = readDockerfile(join(ROOT, 'Dockerfile'));
const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
const finalStage = dockerfile.stages[dockerfile.stages.length - 1]!;
const stage = (name: string) => dockerfile.stages.find((s) => s.name === name)!;
const runs = (s: Stage) => s.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const copiesFrom = (s: Stage) =>
  s.instructions
    .filter((i) => i.keyword === 'COPY' && /--from=/.test(i.args))
    .map((i) => ({
      from: /--from=(\S+)/.exec(i.args)![1]!,
      paths: i.args.replace(/--\S+/g, '').trim().split(/\s+/),
    }));

describe('Dockerfile', () => {
  it('runs the final stage as the non-root node user, from its last USER on', () => {
    const users = finalStage.instructions.filter((i) => i.keyword === 'USER');
    expect(users.map((u) => u.args)).toEqual(['node']);
    const userAt = finalStage.instructions.indexOf(users[0]!);
    // Nothing after USER needs root: no RUN, no package installs.
    expect(finalStage.instructions.slice(userAt).filter((i) => i.keyword === 'RUN')).toEqual([]);
  });

  it('installs no dependencies in the final stage, and only production ones in what it copies', () => {
    expect(runs(finalStage).filter((r) => /\bnpm (ci|install|i)\b/.test(r))).toEqual([]);
    const copies = copiesFrom(finalStage);
    // The whole application comes from the production install...
    const app = copies.filter((c) => c.paths[0] === '/app');
    expect(app.map((c) => c.from)).toEqual(['install']);
    expect(runs(stage('install')).some((r) => /\bnpm ci\b.*--omit=dev/.test(r))).toBe(true);
    // ...and from the stage with dev dependencies (Vite), only the console's build output,
    // where the compiled web service looks for it.
    for (const c of copies.filter((c) => c.from !== 'install'))
      expect(c.paths).toEqual(['/app/services/web/dist/console', '/app/dist/services/web/dist/console']);
  });

  it('runs the service compiled in the image, not TypeScript compiled at every start', () => {
    expect(runs(stage('install')).some((r) => /node tools\/build\/compile\.js/.test(r))).toBe(true);
    const cmd = finalStage.instructions.find((i) => i.keyword === 'CMD')!.args;
    expect(cmd).toContain('exec node dist/services/${SERVICE:?');
    expect(cmd).toContain('/src/main.js');
    expect(cmd).not.toContain('swc-node');
    expect(dockerIgnored(ignore, 'tools/build/compile.js')).toBe(false);
  });

  it('bounds the heap as the bench and the built-services test run the services', () => {
    const env = finalStage.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
    expect(env.join(' ')).toContain(`NODE_OPTIONS="${IMAGE_NODE_OPTIONS}"`);
    expect(IMAGE_NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });

  it('has a HEALTHCHECK that runs the check script on the service’s port', () => {
    const checks = finalStage.instructions.filter((i) => i.keyword === 'HEALTHCHECK');
    expect(checks).toHaveLength(1);
    expect(checks[0]!.args).toMatch(/CMD \["node", "tools\/deploy\/healthcheck\.js"\]$/);
    expect(dockerIgnored(ignore, 'tools/deploy/healthcheck.js')).toBe(false);
  });

  it('stops on SIGTERM, runs the service SERVICE names, and builds every stage from one documented base image', () => {
    expect(finalStage.instructions.find((i) => i.keyword === 'STOPSIGNAL')?.args).toBe('SIGTERM');
    expect(finalStage.instructions.find((i) => i.keyword === 'CMD')?.args).toContain('services/${SERVICE:?');
    expect(new Set(dockerfile.stages.map((s) => s.from))).toEqual(new Set(['${NODE_IMAGE}']));
    const base = dockerfile.globalArgs.find((a) => a.args.startsWith('NODE_IMAGE='))!.args;
    // A pinned major version and distribution, never `latest`.
    expect(base).toMatch(/^NODE_IMAGE=node:(20|22)-[a-z]+-slim$/);
  });

  it('documents every build argument in its header and in docs/deploy-kubernetes.md', () => {
    const args = [...dockerfile.globalArgs, ...dockerfile.stages.flatMap((s) => s.instructions)]
      .filter((i) => i.keyword === 'ARG')
      .map((i) => i.args.split('=')[0]!);
    expect(new Set(args)).toEqual(new Set(['NODE_IMAGE', 'SERVICE']));
    const doc = readFileSync(join(ROOT, 'docs/deploy-kubernetes.md'), 'utf8');
    for (const arg of args) {
      expect({
        arg,
        header: dockerfile.header.some((l) => new RegExp(`^\\s+${arg}\\s{2,}\\S`).test(l)),
      }).toEqual({
        arg,
        header: true,
      });
      expect(doc).toContain(`\`${arg}\``);
    }
  });

  it('the parser reads continuations and stages (the checks above are live)', () => {
    const parsed = parseDockerfile(
      '# top\nARG A=1\nFROM x AS one\nRUN a \\\n  # note\n  b\nFROM y\nUSER root\n',
    );
    expect(parsed.header).toEqual(['top']);
    expect(parsed.globalArgs.map((a) => a.args)).toEqual(['A=1']);
    expect(parsed.stages.map((s) => s.name)).toEqual(['one', undefined]);
    expect(parsed.stages[0]!.instructions[0]!.args).toBe('a b');
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, local state and version control out of the build context', () => {
    for (const path of [
      '.env',
      '.env.production',
      '.git/config',
      'node_modules/x/index.js',
      'services/web/node_modules/a',
      '.data/evidence/1',
      'kafka.pem',
    ])
      expect({ path, ignored: dockerIgnored(ignore, path) }).toEqual({ path, ignored: true });
  });

  it('leaves out tests and documentation', () => {
    for (const path of [
      'e2e/faults/cli.ts',
      'docs/operations.md',
      'services/status/test/harness.ts',
      'libs/bus/src/event-bus.integration-spec.ts',
      'libs/contracts/src/validation.spec.ts',
    ])
      expect({ path, ignored: dockerIgnored(ignore, path) }).toEqual({ path, ignored: true });
  });

  it('keeps everything the services read at run time and npm ci needs', () => {
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'tsconfig.json',
      '.swcrc',
      'libs/routing/data/landmarks.json',
      'services/status/data/holidays-id.json',
      'services/web/console/src/main.tsx',
      'services/web/src/console-build.ts',
      'tools/dlq/cli.ts',
      ...Object.keys(composeServices()).flatMap((s) => [
        `services/${s}/package.json`,
        `services/${s}/src/main.ts`,
      ]),
    ];
    for (const path of needed) {
      expect({ path, exists: existsSync(join(ROOT, path)) }).toEqual({ path, exists: true });
      expect({ path, ignored: dockerIgnored(ignore, path) }).toEqual({ path, ignored: false });
    }
  });

  it('the matcher follows Docker’s rules', () => {
    expect(dockerIgnored(['**/*.log'], 'a/b/c.log')).toBe(true);
    expect(dockerIgnored(['**/*.log'], 'c.log')).toBe(true);
    expect(dockerIgnored(['services/*/test'], 'services/router/test/x.ts')).toBe(true);
    expect(dockerIgnored(['services/*/test'], 'services/router/src/test.ts')).toBe(false);
    expect(dockerIgnored(['.env.*', '!.env.example'], '.env.example')).toBe(false);
  });
});

describe('tools/deploy/healthcheck.js', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PORTS } = require('./healthcheck.js') as { PORTS: Record<string, [string, number]> };

  it('knows the port setting and default port of every service', () => {
    const expected = Object.fromEntries(
      Object.keys(composeServices()).map((s) => {
        const [name, setting] = Object.entries(settingsOf(s)).find(([k]) => k.endsWith('_PORT'))!;
        return [s, [name, Number(setting.default)]];
      }),
    );
    expect(PORTS).toEqual(expected);
  });

  describe('against a local server', () => {
    let server: Server;
    let ready = true;
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/health/ready' && ready ? 200 : 503;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    const check = (env: Record<string, string>) =>
      promisify(execFile)(process.execPath, [join(__dirname, 'healthcheck.js')], {
        env: { PATH: process.env['PATH'] ?? '', ...env },
      }).then(
        () => 0,
        (err: { code?: number }) => err.code ?? -1,
      );

    it('is healthy when the service answers ready on the port its setting names, unhealthy otherwise', async () => {
      const port = String((server.address() as AddressInfo).port);
      ready = true;
      expect(await check({ SERVICE: 'router', ROUTER_PORT: port })).toBe(0);
      ready = false;
      expect(await check({ SERVICE: 'router', ROUTER_PORT: port })).toBe(1);
      expect(await check({ SERVICE: 'no-such-service' })).toBe(1);
    }, 30_000); // three node processes, each a second or more on a busy 2-core machine
  });
});
