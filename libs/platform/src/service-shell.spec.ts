import { Agent, request as httpRequest, type Server } from 'node:http';
import { Controller, Get } from '@nestjs/common';
import { HealthRegistry } from './health';
import { createLogger } from './logger';
import { Metrics } from './metrics';
import { serveHttp } from './service-shell';

let release: () => void = () => undefined;

@Controller('slow')
class SlowController {
  @Get()
  answer(): Promise<{ ok: true }> {
    return new Promise((resolve) => (release = () => resolve({ ok: true })));
  }
}

async function serve() {
  return serveHttp(
    { health: new HealthRegistry(), metrics: new Metrics('shell_spec'), controllers: [SlowController] },
    { port: 0, logger: createLogger('shell-spec', 'error') },
  );
}

/** A GET on a kept-alive connection, answering with the response's headers. */
function get(url: string, agent: Agent): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { agent }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.headers));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveHttp connections', () => {
  it('tells clients and proxies it keeps an idle connection for 65 s, longer than they do', async () => {
    const { app, base } = await serve();
    const agent = new Agent({ keepAlive: true });
    try {
      const headers = await get(`${base}/health/live`, agent);
      expect(headers['connection']).toBe('keep-alive');
      expect(headers['keep-alive']).toBe('timeout=65');
    } finally {
      agent.destroy();
      await app.close();
    }
  });

  it('closes promptly while a kept-alive client has a request in hand: the answer is sent, then the connection goes', async () => {
    const { app, base } = await serve();
    const agent = new Agent({ keepAlive: true });
    try {
      await get(`${base}/health/live`, agent);
      const slow = get(`${base}/slow`, agent);
      await new Promise((resolve) => setTimeout(resolve, 100));
      const closed = app.close();
      const server = app.getHttpServer() as Server;
      while (server.listening) await new Promise((resolve) => setTimeout(resolve, 10));
      release();
      const headers = await slow;
      expect(headers['connection']).toBe('close');
      // Without closing after the answer, this waits the idle minute and the test times out.
      await closed;
    } finally {
      agent.destroy();
    }
  }, 10_000);
});
