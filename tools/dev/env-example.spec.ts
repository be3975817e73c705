import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderAll } from './env-example';

describe('.env.example', () => {
  it('lists exactly what the services declare (regenerate with `npm run env:example`)', () => {
    expect(readFileSync(join(__dirname, '../../.env.example'), 'utf8')).toBe(renderAll());
  });

  it('gives the local stack what the quick start needs', () => {
    const text = renderAll();
    expect(text).toMatch(/^JAKI_API_KEYS=dev-jaki-key$/m);
    expect(text).toMatch(/^OFFICER_JWKS_URL=\S+$/m);
    expect(text).toMatch(/^KAFKA_BROKERS=127\.0\.0\.1:9092$/m);
  });
});
