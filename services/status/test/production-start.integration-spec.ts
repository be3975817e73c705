import { ConfigError } from '@aduan/platform';
import { capturedLogger } from '@aduan/testing';
import { startStatus } from '../src/app';
import { ADMIN, createStack, OfficerClient, type Stack } from './harness';

describe('status in production', () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;

  beforeEach(async () => {
    stack = await createStack('status_production', logger);
  });
  afterEach(() => stack.close());

  it('refuses to start with no officer account and no bootstrap admin, saying what to set', async () => {
    const env = { ...stack.env, NODE_ENV: 'production', OFFICER_BOOTSTRAP_ADMIN: '' };
    const start = startStatus(env, logger, { runScheduler: false });
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/set OFFICER_BOOTSTRAP_ADMIN: no officer account exists yet/);
  });

  it('starts with real values, and the first admin can sign in', async () => {
    const service = await startStatus({ ...stack.env, NODE_ENV: 'production' }, logger, {
      runScheduler: false,
    });
    try {
      const admin = await OfficerClient.signIn(
        `http://127.0.0.1:${service.port}`,
        ADMIN.username,
        ADMIN.password,
      );
      expect(admin).toBeDefined();
    } finally {
      await service.stop();
    }
  });
});
