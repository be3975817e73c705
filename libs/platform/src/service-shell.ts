import { Module, type DynamicModule, type INestApplication, type Provider, type Type } from '@nestjs/common';
import { describeConfig, featuresOff, loadConfig, type ConfigOf, type ConfigSpec } from './config';
import { HealthRegistry } from './health';
import { createHttpApp, type HttpOptions } from './http';
import type { Logger } from './logger';
import { Metrics } from './metrics';
import { ObservabilityModule } from './observability.module';
import { startTracing, type TracingConfig } from './tracing';

export interface ServiceShell<S extends ConfigSpec> {
  config: ConfigOf<S>;
  metrics: Metrics;
  health: HealthRegistry;
}

/**
 * What every service does first: validate its settings (failing with every problem at once),
 * log them with secrets masked and say which optional features are off, and open its metrics
 * and readiness registry.
 */
export function openServiceShell<S extends ConfigSpec>(
  service: string,
  spec: S,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): ServiceShell<S> {
  const config = loadConfig(service, spec, env);
  logger.info('configuration', describeConfig(spec, config as Record<string, unknown>));
  for (const line of featuresOff(spec, config as Record<string, unknown>)) logger.warn(line);
  startTracing(service, config as TracingConfig);
  return { config, metrics: new Metrics(service), health: new HealthRegistry() };
}

export interface HttpParts {
  health: HealthRegistry;
  metrics: Metrics;
  controllers?: Type[];
  providers?: Provider[];
}

@Module({})
class ServiceHttpModule {
  static with(parts: HttpParts): DynamicModule {
    return {
      module: ServiceHttpModule,
      imports: [ObservabilityModule.forRoot({ health: parts.health, metrics: parts.metrics })],
      controllers: parts.controllers ?? [],
      providers: parts.providers ?? [],
    };
  }
}

/**
 * Serves a service's controllers beside `/health/*` and `/metrics` (see createHttpApp), lets the
 * caller mount plain middleware, and listens; port 0 picks a free one.
 */
export async function serveHttp(
  parts: HttpParts,
  opts: HttpOptions & { port: number; mount?: (app: INestApplication) => void },
): Promise<{ app: INestApplication; port: number; base: string }> {
  const app = await createHttpApp(ServiceHttpModule.with(parts), { service: parts.metrics.service, ...opts });
  opts.mount?.(app);
  await app.listen(opts.port, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, port, base: `http://127.0.0.1:${port}` };
}
