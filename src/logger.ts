import pino from 'pino';

/** Log levels, lowest first; LOG_LEVEL picks the lowest one written. */
export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Structured logging: one JSON object per line (pino), `{"level":"info","time":"…","component":"api","msg":"…", …}`.
 * Lines about an execution carry `executionSid`; lines about a flow carry `flowSid`.
 */
export interface Logger {
  trace(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
  /** A logger whose every line also carries `fields` (e.g. the execution SID of the request being handled). */
  child(fields: Record<string, unknown>): Logger;
}

export interface LoggerOptions {
  readonly level?: LogLevel;
  /** Where lines go; standard output by default. Written synchronously, so nothing is lost when a process exits. */
  readonly write?: (line: string) => void;
}

/** A logger for one process part (`api`, `worker`, …). */
export function createLogger(component: string, options: LoggerOptions = {}): Logger {
  const destination = options.write ? { write: options.write } : pino.destination({ dest: 1, sync: true });
  return wrap(
    pino(
      {
        level: options.level ?? 'info',
        base: { component },
        timestamp: pino.stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
      },
      destination,
    ),
  );
}

function wrap(logger: pino.Logger): Logger {
  const at =
    (level: LogLevel) =>
    (message: string, fields?: Record<string, unknown>): void =>
      fields ? logger[level](fields, message) : logger[level](message);
  return {
    trace: at('trace'),
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (fields) => wrap(logger.child(fields)),
  };
}

const drop = (): void => undefined;

/** A logger that drops everything; for tests that assert on behaviour, not on log lines. */
export const silentLogger: Logger = { trace: drop, debug: drop, info: drop, warn: drop, error: drop, child: () => silentLogger };
