import { readFileSync } from 'node:fs';
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
