import { readFileSync } from 'node:fs';
import { DiagnosticSeverity, Parser } from '@asyncapi/parser';
import { join } from 'node:path';
import { buildAsyncApi } from './asyncapi';
import { TOPIC_NAMES } from './topic-map';

describe('AsyncAPI document', () => {
  const committed = JSON.parse(readFileSync(join(__dirname, '../asyncapi.json'), 'utf8')) as Record<
    string,
    unknown
  >;

  it('is current with the topic map and schemas (regenerate with `npm run asyncapi`)', () => {
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildAsyncApi())));
  });

  it('describes every topic with its address, payload schema and CloudEvents headers', () => {
    const channels = committed['channels'] as Record<string, { address: string }>;
    expect(
      Object.values(channels)
        .map((c) => c.address)
        .sort(),
    ).toEqual([...TOPIC_NAMES].sort());
    const messages = (
      committed['components'] as {
        messages: Record<string, { payload: { required: string[] }; headers: { required: string[] } }>;
      }
    ).messages;
    for (const m of Object.values(messages)) {
      expect(m.headers.required).toEqual(
        expect.arrayContaining(['ce_id', 'ce_type', 'ce_source', 'ce_specversion']),
      );
      expect(m.payload.required.length).toBeGreaterThan(0);
    }
  });
});

describe('AsyncAPI document, read by @asyncapi/parser', () => {
  const text = readFileSync(join(__dirname, '../asyncapi.json'), 'utf8');

  async function problems(source: string): Promise<string[]> {
    const { document, diagnostics } = await new Parser().parse(source);
    const serious = diagnostics.filter(
      (d) => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning,
    );
    return [
      ...(document ? [] : ['no document']),
      ...serious.map((d) => `${d.code} at ${d.path.join('.')}: ${d.message}`),
    ];
  }

  it('is a valid AsyncAPI 3.0 document with no errors or warnings', async () => {
    expect(await problems(text)).toEqual([]);
  });

  it('would be refused with a message pointing nowhere, so the parser really checks', async () => {
    const broken = text.replace(
      '"$ref": "#/components/messages/reportLifecycle"',
      '"$ref": "#/components/messages/nowhere"',
    );
    expect(broken).not.toBe(text);
    expect((await problems(broken)).join('\n')).toMatch(/nowhere/);
  });
});
