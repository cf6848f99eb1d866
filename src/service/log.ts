/**
 * Structured logs for the service (pino, JSON lines on stderr): ids, hashes, levels, stages and
 * timings. Never a carrier's text: no log call is given extracted text, and the fields that
 * could carry it are redacted should one ever be passed by mistake.
 */
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino(
    {
      name: opts.name ?? 'grif',
      level: opts.level ?? 'info',
      redact: { paths: ['text', '*.text', 'lines', '*.lines', 'pages', '*.pages'], censor: '[carrier text withheld]' },
      base: { pid: process.pid },
    },
    pino.destination(2),
  );
}

/** A logger that writes nothing (tests, library use). */
export const silentLogger = (): Logger => pino({ level: 'silent' });
