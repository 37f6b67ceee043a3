/** Minimal structured logger: one line per event, `time level component: message {fields}`. */
export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export function createLogger(component: string, write: (line: string) => void = (l) => process.stdout.write(l)): Logger {
  const emit = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
    write(`${new Date().toISOString()} ${level} ${component}: ${message}${extra}\n`);
  };
  return { info: emit('INFO'), warn: emit('WARN'), error: emit('ERROR') };
}

/** A logger that drops everything; for tests that assert on behaviour, not on log lines. */
export const silentLogger: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined };
