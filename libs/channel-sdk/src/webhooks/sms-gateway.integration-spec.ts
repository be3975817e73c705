import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PermanentError } from '@aduan/bus';
import { SmsGateway, SmsRefused, SmsSendError } from './sms-gateway';

describe('SMS gateway errors: refusals are permanent, outages are retried', () => {
  let server: Server;
  let url: string;
  let status = 202;

  beforeAll(async () => {
    // A gateway stand-in that answers every part with the status the test sets.
    server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(status < 300 ? { id: 'sms-1' } : { error: 'no' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/messages`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const failure = (gateway = new SmsGateway({ url })) =>
    gateway.send('+6281234567001', 'Laporan diterima', 'ack:1').then(
      () => undefined,
      (e: unknown) => e,
    );

  it.each([400, 403, 404, 422])('a %s refusal is a PermanentError (SMS_REFUSED)', async (s) => {
    status = s;
    const err = await failure();
    expect(err).toBeInstanceOf(SmsRefused);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'SMS_REFUSED', message: `SMS gateway answered ${s} for part 1/1` });
  });

  it.each([408, 429, 500, 503])('a %s answer is a plain error, retried', async (s) => {
    status = s;
    const err = await failure();
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).not.toBeInstanceOf(PermanentError);
  });

  it('no answer at all is a plain error, retried', async () => {
    const err = await failure(new SmsGateway({ url: 'http://127.0.0.1:9/v1/messages', timeoutMs: 2000 }));
    expect(err).toBeInstanceOf(SmsSendError);
    expect(err).not.toBeInstanceOf(PermanentError);
  });

  it('an accepted part gives the gateway id', async () => {
    status = 202;
    await expect(new SmsGateway({ url }).send('+6281234567001', 'ok', 'ack:2')).resolves.toEqual({
      parts: 1,
      providerMessageIds: ['sms-1'],
    });
  });
});
