import type { Logger, Metrics } from '@aduan/platform';
import type { Request, Response } from 'express';
import { featureOff } from './feature-off';
import { statusProxy } from './status-proxy';

/** The rule sets, their versions and audit, the draft preview and the rollback: nothing else of the router. */
const RULES_PATH = /^\/v1\/admin\/rules(\/(versions(\/\d{1,10})?|audit|preview|rollback))?(\?|$)/;

/**
 * `/api/router/*` → the router's rules admin API for the console's rules editor. The router
 * checks only a token's signature, so a disabled or signed-out officer's token would work there
 * for the rest of its five minutes; here every request first asks the status service whether
 * the session is still open, and a refusal there ends it at once (ADR 0075). Without
 * `ROUTER_BASE_URL` the editor is told the feature is off rather than meeting a 404.
 */
export function routerRulesProxy(opts: {
  baseUrl: string | undefined;
  statusBaseUrl: string;
  timeoutMs: number;
  logger: Logger;
  metrics: Metrics;
}): (req: Request, res: Response) => void {
  const { baseUrl } = opts;
  if (!baseUrl)
    return featureOff(
      'ROUTING_RULES_OFF',
      'the routing rules editor is off: ROUTER_BASE_URL is not set on the web service',
    );
  const forward = statusProxy({
    ...opts,
    baseUrl,
    // A whole rule set as JSON: a few hundred rules.
    maxBodyBytes: 1024 * 1024,
    upstream: {
      name: 'the router',
      metric: 'router',
      allowedPath: RULES_PATH,
      served: 'only /api/router/v1/admin/rules… is served here',
    },
  });
  const log = opts.logger.child({ component: 'router-proxy' });
  const me = new URL('/v1/officer/me', opts.statusBaseUrl);
  return (req, res) => {
    // Paths the router does not serve here are refused by the proxy without asking anyone.
    if (!RULES_PATH.test(req.url)) return forward(req, res);
    const authorization = req.headers.authorization;
    void fetch(me, {
      headers: authorization ? { authorization } : {},
      signal: AbortSignal.timeout(opts.timeoutMs),
    }).then(
      async (answer) => {
        if (answer.ok) return forward(req, res);
        res.status(answer.status === 401 ? 401 : 502).setHeader('Cache-Control', 'no-store');
        res.json(
          answer.status === 401
            ? await answer.json().catch(() => ({
                statusCode: 401,
                error: 'Unauthorized',
                code: 'UNAUTHENTICATED',
                message: 'the session has ended',
              }))
            : {
                statusCode: 502,
                error: 'Bad Gateway',
                message: `the status service could not check the session (${answer.status})`,
              },
        );
      },
      (err: Error) => {
        log.warn('the status service could not check a session', { error: err.message });
        res.status(502).setHeader('Cache-Control', 'no-store');
        res.json({
          statusCode: 502,
          error: 'Bad Gateway',
          message: 'the status service cannot be reached to check the session; try again in a moment',
        });
      },
    );
  };
}
