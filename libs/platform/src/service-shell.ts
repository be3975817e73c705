import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
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

/** Longer than the idle timeouts of what sits in front (ingress-nginx and most load balancers: 60 s). */
const IDLE_KEEP_ALIVE_MS = 65_000;

/**
 * Node drops an idle keep-alive connection after 5 s, sooner than the proxies and clients in
 * front of a service do: a request sent on a connection at the moment the server closes it fails
 * with ECONNRESET (a 502 behind a proxy). The server has to be the last to let go. Once the server
 * is closing, idle connections are closed at once and the others as soon as their answers are
 * sent, so shutdown is not held for the idle minute. (Node's own closeIdleConnections() misses
 * connections its parser still counts as busy between requests, hence the bookkeeping.)
 */
function keepConnectionsLikeAProxy(server: Server): void {
  server.keepAliveTimeout = IDLE_KEEP_ALIVE_MS;
  server.headersTimeout = IDLE_KEEP_ALIVE_MS + 1_000;
  let closing = false;
  /** Each open connection, with its answers not yet sent. */
  const connections = new Map<Socket, Set<ServerResponse>>();
  server.on('connection', (socket: Socket) => {
    connections.set(socket, new Set());
    socket.once('close', () => connections.delete(socket));
  });
  server.prependListener('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket;
    const inHand = connections.get(socket);
    if (!inHand) return;
    if (closing) res.shouldKeepAlive = false;
    inHand.add(res);
    res.once('close', () => {
      inHand.delete(res);
      if (closing && inHand.size === 0) socket.destroySoon();
    });
  });
  const close = server.close.bind(server);
  server.close = ((callback?: (err?: Error) => void) => {
    closing = true;
    for (const [socket, inHand] of connections) {
      if (inHand.size === 0) socket.destroySoon();
      for (const res of inHand) if (!res.headersSent) res.shouldKeepAlive = false;
    }
    return close(callback);
  }) as Server['close'];
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
  keepConnectionsLikeAProxy(app.getHttpServer() as Server);
  await app.listen(opts.port, '0.0.0.0');
  const port = (app.getHttpServer().address() as { port: number }).port;
  return { app, port, base: `http://127.0.0.1:${port}` };
}
