import { ConfigError, defineConfig, describeConfig, loadConfig, renderEnvExample } from './config';

const spec = defineConfig({
  PORT: { kind: 'int', description: 'HTTP port', default: '3000', min: 0, max: 65535 },
  KEYS: { kind: 'list', description: 'API keys', secret: true, optional: true },
  SECRET: { kind: 'string', description: 'Signing secret', default: 'dev-secret', secret: true },
  DB: { kind: 'url', description: 'Database URL' },
});

describe('loadConfig', () => {
  it('types values and applies defaults', () => {
    const c = loadConfig('svc', spec, { DB: 'postgres://u:pw@h/db', KEYS: 'a, b,,c' });
    expect(c).toEqual({
      PORT: 3000,
      KEYS: ['a', 'b', 'c'],
      SECRET: 'dev-secret',
      DB: 'postgres://u:pw@h/db',
    });
  });

  it('reports every problem at once, each saying what to set', () => {
    try {
      loadConfig('svc', spec, { PORT: 'eighty' });
      throw new Error('expected a ConfigError');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const message = (err as Error).message;
      expect(message).toContain('PORT must be a whole number');
      expect(message).toContain('set DB: Database URL');
    }
  });

  it('refuses development secrets in production', () => {
    expect(() => loadConfig('svc', spec, { DB: 'postgres://h/db', NODE_ENV: 'production' })).toThrow(
      /set SECRET: the value given is a development or example value .* must not be used in production/,
    );
  });

  it('refuses in production any secret value the repository publishes: dev, example, or a list entry', () => {
    const published = defineConfig({
      TOKEN: {
        kind: 'string',
        description: 'Token',
        dev: 'dev-token',
        example: 'abc123',
        secret: true,
        optional: true,
      },
      KEYS: { kind: 'list', description: 'Keys', dev: 'dev-key', secret: true, optional: true },
    });
    const problems = (env: NodeJS.ProcessEnv) => {
      try {
        loadConfig('svc', published, { NODE_ENV: 'production', ...env });
        return [];
      } catch (err) {
        return (err as ConfigError).problems.map((p) => p.split(':')[0]);
      }
    };
    expect(problems({ TOKEN: 'dev-token' })).toEqual(['set TOKEN']);
    expect(problems({ TOKEN: 'abc123' })).toEqual(['set TOKEN']);
    expect(problems({ KEYS: 'app:real-key, dev-key' })).toEqual(['set KEYS']);
    expect(problems({ TOKEN: 'a-real-token-nobody-has-seen', KEYS: 'app:real-key' })).toEqual([]);
    // Outside production the development values are what the local stack runs on.
    expect(() => loadConfig('svc', published, { TOKEN: 'dev-token', KEYS: 'dev-key' })).not.toThrow();
  });

  it('requires in production what development may leave off', () => {
    const s = defineConfig({
      KEY: {
        kind: 'string',
        description: 'Encryption key',
        secret: true,
        optional: true,
        requiredInProduction: true,
      },
    });
    expect(loadConfig('svc', s, {})).toEqual({});
    expect(() => loadConfig('svc', s, { NODE_ENV: 'production' })).toThrow(/set KEY: Encryption key/);
  });

  it('masks secrets and URL passwords when the configuration is logged', () => {
    const c = loadConfig('svc', spec, { DB: 'postgres://u:pw@h/db', KEYS: 'k1' });
    expect(describeConfig(spec, c)).toEqual({
      PORT: 3000,
      KEYS: '***',
      SECRET: '***',
      DB: 'postgres://u:***@h/db',
    });
    expect(
      describeConfig(
        { L: { kind: 'list', description: 'brokers' } },
        { L: ['kafka://u:pw@h:9092', 'h2:9092'] },
      ),
    ).toEqual({
      L: ['kafka://u:***@h:9092', 'h2:9092'],
    });
  });

  it('renders an .env.example section without secret values', () => {
    const text = renderEnvExample('svc', spec);
    expect(text).toContain('PORT=3000');
    expect(text).toContain('# KEYS=');
    expect(text).not.toContain('dev-secret-value');
  });
});
