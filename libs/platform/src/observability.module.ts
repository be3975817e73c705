import { Controller, Get, Header, HttpStatus, Inject, Module, Res, type DynamicModule } from '@nestjs/common';
import { HealthRegistry } from './health';
import { Metrics } from './metrics';

interface ReplyLike {
  status(code: number): ReplyLike;
  json(body: unknown): void;
}

@Controller()
class ObservabilityController {
  constructor(
    @Inject(HealthRegistry) private readonly health: HealthRegistry,
    @Inject(Metrics) private readonly metrics: Metrics,
  ) {}

  @Get('health/live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('health/ready')
  async ready(@Res() res: ReplyLike): Promise<void> {
    const report = await this.health.report();
    res.status(report.status === 'ok' ? HttpStatus.OK : HttpStatus.SERVICE_UNAVAILABLE).json(report);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

/** `/health/live`, `/health/ready` and `/metrics`, the same on every service. */
@Module({})
export class ObservabilityModule {
  static forRoot(opts: { health: HealthRegistry; metrics: Metrics }): DynamicModule {
    return {
      module: ObservabilityModule,
      global: true,
      controllers: [ObservabilityController],
      providers: [
        { provide: HealthRegistry, useValue: opts.health },
        { provide: Metrics, useValue: opts.metrics },
      ],
      exports: [HealthRegistry, Metrics],
    };
  }
}
