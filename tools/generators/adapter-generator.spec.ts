import { createTreeWithEmptyWorkspace } from 'nx/src/devkit-testing-exports';
import type { Tree } from '@nx/devkit';
import {
  adapterGenerator,
  composeEntry,
  adapterNames,
} from '@aduan/channel-sdk/generators/adapter/generator';

const TELEGRAM_CONFIG = `export const telegramSettings = defineConfig({
  TELEGRAM_PORT: {
    kind: 'int',
    description: 'HTTP port of channel-telegram (the Bot API webhook)',
    default: '3109',
  },
});`;

describe('nx g @aduan/channel-sdk:adapter', () => {
  let tree: Tree;

  beforeEach(() => {
    tree = createTreeWithEmptyWorkspace();
    tree.write('services/channel-telegram/src/config.ts', TELEGRAM_CONFIG);
    tree.write('services/status/src/config.ts', `STATUS_PORT: { kind: 'int', default: '3300' }`);
  });

  it('creates the service with every file the channel kit needs, and nothing left of the templates', async () => {
    await adapterGenerator(tree, { name: 'pigeon-post', skipFormat: true });
    const files = tree
      .listChanges()
      .map((c) => c.path)
      .filter((p) => p.startsWith('services/channel-pigeon-post/'))
      .sort();
    expect(files).toEqual(
      [
        'package.json',
        'project.json',
        'tsconfig.json',
        'src/config.ts',
        'src/main.ts',
        'src/payload.ts',
        'src/pigeon-post.ts',
        'test/pigeon-post.integration-spec.ts',
        'test/provider-stand-in.ts',
      ]
        .map((f) => `services/channel-pigeon-post/${f}`)
        .sort(),
    );
    for (const file of files) {
      const text = tree.read(file, 'utf-8')!;
      expect({ file, template: /<%|%>|__tmpl__|__fileName__/.test(text) }).toEqual({ file, template: false });
    }
  });

  it('names the project, the package and the channel as the workspace expects', async () => {
    await adapterGenerator(tree, { name: 'pigeon-post', skipFormat: true });
    const dir = 'services/channel-pigeon-post';
    expect(JSON.parse(tree.read(`${dir}/project.json`, 'utf-8')!)).toMatchObject({
      name: 'channel-pigeon-post',
      sourceRoot: `${dir}/src`,
      projectType: 'application',
      tags: ['type:service', 'type:channel'],
    });
    expect(JSON.parse(tree.read(`${dir}/package.json`, 'utf-8')!)).toMatchObject({
      name: '@aduan/channel-pigeon-post',
      main: 'src/main.ts',
    });
    const adapter = tree.read(`${dir}/src/pigeon-post.ts`, 'utf-8')!;
    expect(adapter).toContain(`service: 'channel-pigeon-post'`);
    // Channel names allow no '-' (they are metric labels and database keys).
    expect(adapter).toContain(`channels: ['pigeon_post']`);
    expect(adapter).toContain(`port: 'PIGEON_POST_PORT'`);
    expect(adapter).toContain('verifiers.hmacHeader(');
    expect(adapter).toContain('ctx.conversationRules(');
    expect(tree.read(`${dir}/src/main.ts`, 'utf-8')).toContain('runChannelMain(pigeonPost)');
    expect(tree.read(`${dir}/test/pigeon-post.integration-spec.ts`, 'utf-8')).toContain(
      'describeChannelConformance(harness)',
    );
  });

  it('gives it the first port after the other channel adapters, and its secrets are off when unset', async () => {
    await adapterGenerator(tree, { name: 'pigeon', skipFormat: true });
    const config = tree.read('services/channel-pigeon/src/config.ts', 'utf-8')!;
    expect(config).toMatch(/PIGEON_PORT: \{[^}]*default: '3110'/);
    expect(config).toMatch(/PIGEON_WEBHOOK_SECRET: \{[^}]*secret: true,[^}]*offWhenUnset: 'Pigeon intake'/);
    expect(config).toMatch(/PIGEON_API_BASE_URL: \{[^}]*offWhenUnset: 'answering citizens on Pigeon'/);
  });

  it('takes the port and the label it is given', async () => {
    await adapterGenerator(tree, { name: 'lapor', port: 3120, label: 'LAPOR! 1708', skipFormat: true });
    const config = tree.read('services/channel-lapor/src/config.ts', 'utf-8')!;
    expect(config).toMatch(/LAPOR_PORT: \{[^}]*default: '3120'/);
    expect(config).toContain('LAPOR! 1708 intake');
  });

  it('refuses a name that cannot be a channel, a service that exists and a port in use', async () => {
    for (const name of ['Pigeon', 'pigeon_post', '9lives', 'pigeon--post', 'p', 'a'.repeat(33)])
      await expect(adapterGenerator(tree, { name, skipFormat: true })).rejects.toThrow(
        /channel name|characters long/,
      );
    await expect(adapterGenerator(tree, { name: 'telegram', skipFormat: true })).rejects.toThrow(
      'services/channel-telegram already exists',
    );
    await expect(adapterGenerator(tree, { name: 'pigeon', port: 3109, skipFormat: true })).rejects.toThrow(
      'port 3109 is already the default of another channel adapter',
    );
    expect(tree.listChanges().filter((c) => c.path.includes('pigeon'))).toEqual([]);
  });

  it('prints a docker-compose.yml entry in the shape of the other adapters', () => {
    const entry = composeEntry(adapterNames(tree, { name: 'pigeon' }));
    expect(entry).toContain('  channel-pigeon:\n    <<: *app\n');
    expect(entry).toContain('      <<: *channel-env\n      SERVICE: channel-pigeon\n');
    expect(entry).toContain('PIGEON_WEBHOOK_SECRET: ${PIGEON_WEBHOOK_SECRET:-}');
    expect(entry).toContain('"127.0.0.1:3110:3110"');
    expect(entry).toContain(`fetch('http://127.0.0.1:3110/health/ready')`);
  });
});
