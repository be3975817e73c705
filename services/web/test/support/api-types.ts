import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..', '..', '..');

/** The console's committed types for the officer API (docs/adr/0060-typed-console.md). */
export const API_TYPES = join(ROOT, 'services', 'web', 'console', 'src', 'api', 'openapi.ts');

function run(command: string[], input?: string): string {
  const done = spawnSync(process.execPath, command, { cwd: ROOT, input, encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`${command.join(' ')} failed:\n${done.stderr}`);
  return done.stdout;
}

/**
 * The TypeScript that openapi-typescript writes for an OpenAPI document, formatted as the repo
 * formats its code so that the committed file passes the lint as it is.
 */
export function typesFor(document: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'aduan-openapi-'));
  try {
    const file = join(dir, 'openapi.json');
    writeFileSync(file, document);
    const types = run([require.resolve('openapi-typescript/bin/cli.js'), file]);
    // The generator writes `schemas: {}` while the document names no shared schema.
    const header = '/* eslint-disable @typescript-eslint/no-empty-object-type -- generated */\n';
    return run([require.resolve('prettier/bin/prettier.cjs'), '--stdin-filepath', API_TYPES], header + types);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
