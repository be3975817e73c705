import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, type ConfigSpec } from '@aduan/platform';
import { configuredServices, settingsOf } from './service-settings';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseEnvFile } = require('./env-file') as { parseEnvFile: (text: string) => Record<string, string> };

const root = join(__dirname, '../..');
const envExample = parseEnvFile(readFileSync(join(root, '.env.example'), 'utf8'));

/** Every service's full settings, as its own start-up reads them. */
function serviceSpecs(): Array<[string, ConfigSpec]> {
  return configuredServices().map((service) => [service, settingsOf(service)]);
}

function problemsOf(service: string, spec: ConfigSpec, env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(service, spec, env);
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return err.problems;
  }
}

/** What an operator would set: fresh random secrets in the shape each one takes. */
function realSecrets(): Record<string, string> {
  const random = () => randomBytes(24).toString('base64url');
  return {
    TRACKING_CODE_SECRET: random(),
    OFFICER_BOOTSTRAP_ADMIN: `admin:${random()}`,
    REPORTER_DATA_KEY: randomBytes(32).toString('base64'),
    JAKI_API_KEYS: `jaki-android:${random()},jaki-ios:${random()}`,
    OPEN311_API_KEYS: `civic-app:${random()}`,
    SUPPORT_KEY: randomBytes(32).toString('base64'),
  };
}

describe('a production start with the values of .env.example', () => {
  const env = { ...envExample, NODE_ENV: 'production' };

  it.each(serviceSpecs())('%s refuses every published secret, naming it', (service, spec) => {
    const problems = problemsOf(service, spec, env);
    const published = Object.entries(spec)
      .filter(([name, s]) => s.secret && envExample[name])
      .map(([name]) => name);
    for (const name of published)
      expect(problems).toContainEqual(
        expect.stringMatching(new RegExp(`^set ${name}: .*must not be used in production`)),
      );
  });

  it('covers the secrets that would let a stranger in', () => {
    const refused = serviceSpecs().flatMap(([service, spec]) => problemsOf(service, spec, env));
    for (const name of ['TRACKING_CODE_SECRET', 'OFFICER_BOOTSTRAP_ADMIN', 'JAKI_API_KEYS'])
      expect(refused.join('\n')).toContain(`set ${name}:`);
  });

  it('asks for what production needs and .env.example leaves unset', () => {
    const [, status] = serviceSpecs().find(([s]) => s === 'status')!;
    const problems = problemsOf('status', status, { ...env, ...realSecrets(), REPORTER_DATA_KEY: '' });
    expect(problems).toEqual([expect.stringMatching(/^set REPORTER_DATA_KEY: AES-256 key/)]);
  });
});

describe('a production start with real values', () => {
  it.each(serviceSpecs())('%s accepts them', (service, spec) => {
    expect(problemsOf(service, spec, { ...envExample, ...realSecrets(), NODE_ENV: 'production' })).toEqual(
      [],
    );
  });

  it('refuses a documented example even when it is not the development value', () => {
    const [, status] = serviceSpecs().find(([s]) => s === 'status')!;
    const example = status['OFFICER_BOOTSTRAP_ADMIN']!.example!;
    const problems = problemsOf('status', status, {
      ...realSecrets(),
      OFFICER_BOOTSTRAP_ADMIN: example,
      NODE_ENV: 'production',
    });
    expect(problems).toEqual([expect.stringMatching(/^set OFFICER_BOOTSTRAP_ADMIN: /)]);
  });
});
