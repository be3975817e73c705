import { verifiers, WebhookRefused } from '@aduan/channel-sdk';
import { fixture, request } from './fixtures';

interface Vector {
  name: string;
  secret: string;
  body?: string;
  body_file?: string;
  header_value: string;
  expect_valid: boolean;
}

const { vectors } = JSON.parse(fixture('x-hub-signature-256.test-vectors.json').toString('utf8')) as {
  vectors: Vector[];
};

describe("the Meta webhook's X-Hub-Signature-256 check", () => {
  it.each(vectors.map((v) => [v.name, v] as const))('%s', (_name, v) => {
    const raw = v.body_file ? fixture(v.body_file) : Buffer.from(v.body!, 'utf8');
    const check = () =>
      verifiers.metaSignature(v.secret)(request(raw, { 'x-hub-signature-256': v.header_value }));
    if (v.expect_valid) expect(check).not.toThrow();
    else expect(check).toThrow(WebhookRefused);
  });

  it('refuses a missing header and a body changed after signing', () => {
    const v = vectors.find((x) => x.expect_valid && x.body)!;
    const verify = verifiers.metaSignature(v.secret);
    expect(() => verify(request(v.body!))).toThrow(/missing/);
    expect(() => verify(request(`${v.body!} `, { 'x-hub-signature-256': v.header_value }))).toThrow(
      /does not match/,
    );
  });
});
