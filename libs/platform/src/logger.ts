import type { LoggerService } from '@nestjs/common';
import { redact, redactText } from './redact';
import { activeTraceId } from './tracing';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export type LogSink = (line: string) => void;

/**
 * A structured JSON-lines logger. Each line is one object: time, level, service, msg, the
 * bindings of its child loggers (report id, topic, partition, offset…) and, inside a trace, its id. Everything passes
 * through `redact`, so a careless call cannot leak a reporter's contact data.
 */
export class Logger {
  constructor(
    private readonly bindings: Record<string, unknown>,
    private readonly level: LogLevel = 'info',
    private readonly sink: LogSink = (line) => process.stdout.write(line + '\n'),
  ) {}

  child(bindings: Record<string, unknown>): Logger {
    return new Logger({ ...this.bindings, ...bindings }, this.level, this.sink);
  }

  debug(msg: string, fields?: Record<string, unknown>): void {
    this.write('debug', msg, fields);
  }
  info(msg: string, fields?: Record<string, unknown>): void {
    this.write('info', msg, fields);
  }
  warn(msg: string, fields?: Record<string, unknown>): void {
    this.write('warn', msg, fields);
  }
  error(msg: string, fields?: Record<string, unknown>): void {
    this.write('error', msg, fields);
  }

  private write(level: LogLevel, msg: string, fields?: Record<string, unknown>): void {
    if (RANK[level] < RANK[this.level]) return;
    const traceId = activeTraceId();
    const line = {
      time: new Date().toISOString(),
      level,
      ...(redact(this.bindings) as object),
      // Joins the line to its report's trace in the tracing backend.
      ...(traceId ? { traceId } : {}),
      msg: redactText(msg),
      ...(fields ? (redact(fields) as object) : {}),
    };
    this.sink(JSON.stringify(line));
  }
}

export function createLogger(
  service: string,
  level: LogLevel = (process.env['LOG_LEVEL'] as LogLevel) || 'info',
): Logger {
  return new Logger({ service }, RANK[level] ? level : 'info');
}

/** Lets Nest's own messages go through the same redacting JSON logger. */
export class NestLoggerAdapter implements LoggerService {
  constructor(private readonly logger: Logger) {}
  log(message: unknown, context?: string): void {
    this.logger.info(String(message), context ? { context } : undefined);
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error(String(message), { context, trace });
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn(String(message), context ? { context } : undefined);
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug(String(message), context ? { context } : undefined);
  }
  verbose(message: unknown, context?: string): void {
    this.logger.debug(String(message), context ? { context } : undefined);
  }
}
