/**
 * The generated adapter builds and passes its own conformance suite as generated. It is written
 * to a folder outside the repository that links the real libs and node_modules, so nothing is
 * left behind in services/ and nobody else's lint, typecheck or test run ever sees it.
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { FsTree } from 'nx/src/generators/tree';
import { adapterGenerator } from '@aduan/channel-sdk/generators/adapter/generator';

const run = promisify(execFile);
const ROOT = join(__dirname, '../..');
const SERVICE = 'services/channel-pigeon-post';

async function exec(file: string, args: string[], cwd: string) {
  try {
    const { stdout, stderr } = await run(file, args, { cwd, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: e.code ?? 1, output: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

describe('a generated channel adapter', () => {
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'aduan-adapter-'));
    for (const shared of ['node_modules', 'libs', 'tsconfig.base.json', '.prettierrc.json'])
      symlinkSync(join(ROOT, shared), join(dir, shared));
    // The real workspace as the generator's view (ports in use, existing services); never flushed.
    const tree = new FsTree(ROOT, false);
    await adapterGenerator(tree, { name: 'pigeon-post', skipFormat: true });
    for (const change of tree.listChanges()) {
      expect(change.type).toBe('CREATE');
      expect(change.path.startsWith(`${SERVICE}/`)).toBe(true);
      mkdirSync(dirname(join(dir, change.path)), { recursive: true });
      writeFileSync(join(dir, change.path), change.content!);
    }
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        extends: './tsconfig.base.json',
        compilerOptions: { noEmit: true },
        include: [`${SERVICE}/**/*.ts`],
      }),
    );
    writeFileSync(
      join(dir, 'jest.config.js'),
      `const [, integration] = require(${JSON.stringify(join(ROOT, 'jest.config.js'))}).projects;
module.exports = {
  ...integration,
  rootDir: __dirname,
  roots: ['<rootDir>/services'],
  setupFilesAfterEnv: [${JSON.stringify(join(ROOT, 'tools/jest/integration-setup.js'))}],
};
`,
    );
  });

  // eslint-disable-next-line no-control-regex
  const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

  it('is what `nx g @aduan/channel-sdk:adapter` generates in the workspace', async () => {
    const nx = join(ROOT, 'node_modules/nx/dist/bin/nx.js');
    const args = [nx, 'g', '@aduan/channel-sdk:adapter', 'pigeon-post', '--dry-run', '--no-interactive'];
    const { code, output } = await run(process.execPath, args, {
      cwd: ROOT,
      // CI=true makes Nx colour its output; the words are what is checked here.
      env: {
        ...process.env,
        NX_DAEMON: 'false',
        NX_NO_CLOUD: 'true',
        NX_SKIP_NX_CACHE: 'true',
        FORCE_COLOR: '0',
      },
    }).then(
      (r) => ({ code: 0, output: plain(r.stdout + r.stderr) }),
      (e: { code?: number; stdout?: string; stderr?: string }) => ({
        code: e.code ?? 1,
        output: plain(`${e.stdout ?? ''}${e.stderr ?? ''}`),
      }),
    );
    expect({ code, output }).toEqual({ code: 0, output: expect.stringContaining('dryRun') });
    for (const file of ['project.json', 'src/config.ts', 'src/pigeon-post.ts', 'src/main.ts'])
      expect(output).toContain(`CREATE ${SERVICE}/${file}`);
  }, 60_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('type-checks', async () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    const { output } = await exec(process.execPath, [tsc, '-p', '.', '--listFiles'], dir);
    expect(output).toContain(join(dir, SERVICE, 'src/pigeon-post.ts'));
    // Only the generated files are judged: the libs are checked by the workspace's own typecheck.
    const errors = output.split('\n').filter((line) => / error TS/.test(line) && line.includes(SERVICE));
    expect(errors).toEqual([]);
  }, 60_000);

  it('is formatted as the repository formats code', async () => {
    const { code, output } = await exec(
      process.execPath,
      [join(ROOT, 'node_modules/prettier/bin/prettier.cjs'), '--check', `${SERVICE}/**/*.ts`],
      dir,
    );
    expect({ code, output }).toEqual({
      code: 0,
      output: expect.stringContaining('All matched files use Prettier'),
    });
  }, 30_000);

  it('passes the channel kit conformance suite against its provider stand-in', async () => {
    const { code, output } = await exec(
      process.execPath,
      [join(ROOT, 'node_modules/jest/bin/jest.js'), '--config', 'jest.config.js', '--ci', '--colors=false'],
      dir,
    );
    expect({ code, output }).toEqual({
      code: 0,
      output: expect.stringMatching(/Tests:\s+4 passed, 4 total/),
    });
  }, 90_000);
});
