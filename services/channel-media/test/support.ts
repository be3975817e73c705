import type { Candidate } from '../src/candidates/news-candidates';

/** The officer API of a running channel-media, as the console calls it. */
export function candidateApi(base: string, token: string | null) {
  const call = async (
    path: string,
    init: { method?: string; json?: unknown; token?: string | null } = {},
  ) => {
    const bearer = init.token === undefined ? token : init.token;
    const res = await fetch(`${base}/v1/officer/media/candidates${path}`, {
      method: init.method ?? 'GET',
      headers: {
        ...(bearer ? { authorization: `Bearer ${bearer}` } : {}),
        ...(init.json !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  return {
    call,
    async list(state = 'pending'): Promise<Candidate[]> {
      const { status, body } = await call(`?state=${state}`);
      if (status !== 200) throw new Error(`listing answered ${status}: ${JSON.stringify(body)}`);
      return body['candidates'] as Candidate[];
    },
    promote: (id: string) => call(`/${id}/promote`, { method: 'POST' }),
    dismiss: (id: string, reason?: unknown) =>
      call(`/${id}/dismiss`, { method: 'POST', json: reason === undefined ? {} : { reason } }),
  };
}
