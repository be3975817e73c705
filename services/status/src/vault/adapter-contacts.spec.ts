import { parseChannelEndpoints } from './adapter-contacts';

describe('CHANNEL_ENDPOINTS', () => {
  it('maps each channel to the base URL of its adapter', () => {
    const { endpoints, problems } = parseChannelEndpoints([
      'jaki=http://channel-jaki:3101/',
      'sms=http://channel-whatsapp:3105',
    ]);
    expect(problems).toEqual([]);
    expect([...endpoints]).toEqual([
      ['jaki', 'http://channel-jaki:3101'],
      ['sms', 'http://channel-whatsapp:3105'],
    ]);
    expect(parseChannelEndpoints(undefined).endpoints.size).toBe(0);
  });

  it('names the setting and the entry for every malformed one', () => {
    const { problems } = parseChannelEndpoints([
      'http://channel-jaki:3101',
      'Jaki=http://x',
      'email=ftp://mail',
      'sms=not a url',
      'jaki=http://a',
      'jaki=http://b',
    ]);
    expect(problems).toHaveLength(5);
    for (const p of problems) expect(p).toMatch(/^CHANNEL_ENDPOINTS: /);
    expect(problems.join('\n')).toMatch(/jaki is named twice/);
  });
});
