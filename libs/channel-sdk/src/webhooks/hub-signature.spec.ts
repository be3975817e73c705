import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubSignature256, verifyHubSignature256 } from './hub-signature';

interface Vector {
  name: string;
  secret: string;
  body?: string;
  body_file?: string;
  header_value: string;
  expect_valid: boolean;
}

const fixtures = join(__dirname, 'fixtures');
const { vectors } = JSON.parse(
  readFileSync(join(fixtures, 'x-hub-signature-256.test-vectors.json'), 'utf8'),
) as { vectors: Vector[] };

describe('X-Hub-Signature-256', () => {
  it.each(vectors.map((v) => [v.name, v] as const))('agrees with the published vector %s', (_name, v) => {
    const body = v.body_file ? readFileSync(join(fixtures, v.body_file)) : Buffer.from(v.body!, 'utf8');
    expect(verifyHubSignature256(body, v.header_value, v.secret).ok).toBe(v.expect_valid);
    if (v.expect_valid) expect(hubSignature256(body, v.secret)).toBe(v.header_value);
  });

  it('refuses the signature of the same JSON once it has been re-serialised', () => {
    const raw = readFileSync(join(fixtures, 'whatsapp-text.json'));
    const header = hubSignature256(raw, 'test_app_secret');
    const reformatted = Buffer.from(JSON.stringify(JSON.parse(raw.toString('utf8'))));
    expect(verifyHubSignature256(reformatted, header, 'test_app_secret')).toEqual({
      ok: false,
      reason: 'X-Hub-Signature-256 does not match the body',
    });
  });

  it('names a missing or misshapen header', () => {
    expect(verifyHubSignature256('x', undefined, 's')).toEqual({
      ok: false,
      reason: 'X-Hub-Signature-256 header is missing',
    });
    expect(verifyHubSignature256('x', 'sha1=abc', 's').ok).toBe(false);
    expect(verifyHubSignature256('x', `sha256=${'z'.repeat(64)}`, 's').ok).toBe(false);
  });

  it('accepts upper-case hex, as some proxies rewrite it', () => {
    const header = hubSignature256('Hello, World!', "It's a Secret to Everybody")
      .toUpperCase()
      .replace('SHA256=', 'sha256=');
    expect(verifyHubSignature256('Hello, World!', header, "It's a Secret to Everybody").ok).toBe(true);
  });
});
