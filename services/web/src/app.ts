import { Module, type DynamicModule } from '@nestjs/common';
import {
  createHttpApp,
  createLogger,
  describeConfig,
  HealthRegistry,
  loadConfig,
  Metrics,
  ObservabilityModule,
  type Logger,
  type RunningService,
} from '@aduan/platform';
import { AreasController } from './areas/areas.controller';
import { webSettings } from './config';
import { securityHeaders } from './http/security-headers';
import { staticSite } from './http/static-site';
import { statusProxy } from './http/status-proxy';

export const SERVICE = 'web';

@Module({})
class WebModule {
  static with(deps: { health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return {
      module: WebModule,
      imports: [ObservabilityModule.forRoot(deps)],
      controllers: [AreasController],
    };
  }
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
  const config = loadConfig(SERVICE, webSettings, env);
  logger.info('configuration', describeConfig(webSettings, config));
  const metrics = new Metrics(SERVICE);
  const health = new HealthRegistry();
  health.register('status-service', () => statusAlive(config.STATUS_BASE_URL));

  const app = await createHttpApp(WebModule.with({ health, metrics }), { logger });
  app.use(securityHeaders);
  app.use(
    '/api/status',
    statusProxy({
      baseUrl: config.STATUS_BASE_URL,
      timeoutMs: config.WEB_PROXY_TIMEOUT_MS,
      maxBodyBytes: config.WEB_MAX_UPLOAD_BYTES,
      logger,
      metrics,
    }),
  );
  app.use(staticSite({ refreshSeconds: config.WEB_TRACKING_REFRESH_SECONDS }));
  await app.listen(config.WEB_PORT, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return {
    port,
    urls: [`http://127.0.0.1:${port}/ (tracking)`, `http://127.0.0.1:${port}/console/ (officer console)`],
    async stop() {
      await app.close();
    },
  };
}
