import {
  createLogger,
  openServiceShell,
  serveHttp,
  type ConfigOf,
  type Logger,
  type Metrics,
  type RunningService,
} from '@aduan/platform';
import type { Request, Response } from 'express';
import { AreasController } from './areas/areas.controller';
import { webSettings } from './config';
import { ensureConsoleBuilt } from './console-build';
import { securityHeaders } from './http/security-headers';
import { optionalUpstream } from './http/optional-upstream';
import { officerEntryProxy } from './http/officer-entry-proxy';
import { staticSite } from './http/static-site';
import { statusProxy } from './http/status-proxy';
import { routerRulesProxy } from './http/router-rules-proxy';
import { whatsappPairingProxy } from './http/whatsapp-pairing-proxy';

export const SERVICE = 'web';

/**
 * `/api/news/*` → channel-media's officer API for news candidates, and nothing else of it.
 * Unset, the page learns that it is off instead of meeting a 404.
 */
function newsProxy(
  config: ConfigOf<typeof webSettings>,
  logger: Logger,
  metrics: Metrics,
): (req: Request, res: Response) => void {
  return optionalUpstream({
    baseUrl: config.NEWS_BASE_URL,
    off: {
      code: 'NEWS_OFF',
      message: 'news candidates are off: NEWS_BASE_URL is not set on the web service',
    },
    timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
    maxBodyBytes: 64 * 1024,
    logger,
    metrics,
    upstream: {
      name: 'channel-media',
      metric: 'news',
      allowedPath: /^\/v1\/officer\/news\/candidates(\/|\?|$)/,
      served: 'only /api/news/v1/officer/news/candidates… is served here',
    },
  });
}

/** Ready means the status service answers: without it neither tracking nor the console works. */
async function statusAlive(baseUrl: string): Promise<void> {
  const res = await fetch(new URL('/health/live', baseUrl), { signal: AbortSignal.timeout(1500) });
  if (!res.ok) throw new Error(`status service answered ${res.status}`);
}

export async function startWeb(
  env: NodeJS.ProcessEnv = process.env,
  logger: Logger = createLogger(SERVICE),
): Promise<RunningService & { port: number }> {
  const { config, metrics, health } = openServiceShell(SERVICE, webSettings, env, logger);
  health.register('status-service', () => statusAlive(config.STATUS_BASE_URL));
  const built = ensureConsoleBuilt(env['NODE_ENV'] === 'production');
  if (built) logger.info(built);

  const { app, port, base } = await serveHttp(
    { health, metrics, controllers: [AreasController] },
    {
      logger,
      port: config.WEB_PORT,
      mount(web) {
        web.use(securityHeaders);
        web.use(
          '/api/status',
          statusProxy({
            baseUrl: config.STATUS_BASE_URL,
            timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
            maxBodyBytes: config.WEB_MAX_UPLOAD_BYTES,
            logger,
            metrics,
          }),
        );
        web.use('/api/news', newsProxy(config, logger, metrics));
        web.use(
          '/api/whatsapp',
          whatsappPairingProxy({
            baseUrl: config.WHATSAPP_BASE_URL,
            timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
            logger,
            metrics,
          }),
        );
        web.use(
          '/api/router',
          routerRulesProxy({
            baseUrl: config.ROUTER_BASE_URL,
            statusBaseUrl: config.STATUS_BASE_URL,
            timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
            logger,
            metrics,
          }),
        );
        web.use(
          '/api/entries',
          officerEntryProxy({
            baseUrl: config.OFFICER_ENTRY_BASE_URL,
            timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
            // Photos stream through; channel-officer holds them to its own MEDIA_MAX_BYTES.
            maxBodyBytes: config.WEB_MAX_UPLOAD_BYTES,
            logger,
            metrics,
          }),
        );
        web.use(staticSite({ refreshSeconds: config.WEB_TRACKING_REFRESH_SECONDS }));
      },
    },
  );
  return {
    port,
    urls: [
      `${base}/ (tracking)`,
      `${base}/console/ (officer console)`,
      `${base}/console/news/ (news candidates)`,
      `${base}/console/whatsapp/ (WhatsApp number pairing)`,
    ],
    async stop() {
      await app.close();
    },
  };
}
