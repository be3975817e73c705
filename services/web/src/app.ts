import { createLogger, openServiceShell, serveHttp, type Logger, type RunningService } from '@aduan/platform';
import { AreasController } from './areas/areas.controller';
import { webSettings } from './config';
import { securityHeaders } from './http/security-headers';
import { staticSite } from './http/static-site';
import { statusProxy } from './http/status-proxy';

export const SERVICE = 'web';

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
        web.use(staticSite({ refreshSeconds: config.WEB_TRACKING_REFRESH_SECONDS }));
      },
    },
  );
  return {
    port,
    urls: [`${base}/ (tracking)`, `${base}/console/ (officer console)`],
    async stop() {
      await app.close();
    },
  };
}
