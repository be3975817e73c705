import { capturedLogger } from '@aduan/testing';
import { startStatus } from '../src/app';
import { ADMIN, createStack, type Stack } from './harness';

/** The sign-in door as officers meet it: wrong passwords lock the account, for everyone. */
describe('officer sign-in under limits', () => {
  const { logger } = capturedLogger('status');
  let stack: Stack;
  let url: string;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    stack = await createStack('status_sign_in_lockout', logger);
    const service = await startStatus(
      { ...stack.env, SIGN_IN_MAX_FAILURES: '2', SIGN_IN_LOCKOUT_MINUTES: '5' },
      logger,
      { runScheduler: false },
    );
    url = `http://127.0.0.1:${service.port}`;
    stop = () => service.stop();
  });
  afterAll(async () => {
    await stop?.();
    await stack?.close();
  });

  const signIn = (username: string, password: string) =>
    fetch(`${url}/v1/officer/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });

  it('locks an account after its wrong passwords, even against the right one, and says when to retry', async () => {
    expect((await signIn(ADMIN.username, ADMIN.password)).status).toBe(200);
    expect((await signIn(ADMIN.username, 'not-the-password-1')).status).toBe(401);
    expect((await signIn(ADMIN.username, 'not-the-password-2')).status).toBe(401);
    const locked = await signIn(ADMIN.username, ADMIN.password);
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('answers an unknown username as it answers a wrong password, and locks it the same way', async () => {
    const first = await signIn('nobody-here', 'whatever-password');
    expect(first.status).toBe(401);
    expect(await first.json()).toMatchObject({ code: 'INVALID_CREDENTIALS' });
    await signIn('nobody-here', 'whatever-password');
    expect((await signIn('nobody-here', 'whatever-password')).status).toBe(429);
  });
});
