/**
 * Every setting of grif's commands in one place: its flag, its environment variable, its default,
 * and how it resolves (the flag, else the environment, else the default). The commands add their
 * options from here and resolve them here; no other module reads a setting from the environment.
 * README's "Settings" table lists the same (test/cli/settings.test.ts keeps them together).
 */
import { InvalidArgumentError, Option } from 'commander';
import { join, resolve } from 'node:path';
import { DEFAULT_INCOMING_FORMAT, checkIncomingFormat } from '../register/incoming.js';
import { UsageError } from '../errors.js';
import { DEFAULT_LIMITS } from '../extract/extractor.js';
import { DEFAULT_TESSDATA } from '../extract/ocr/tesseract-pool.js';

export interface Setting {
  /** The environment variable, if any. */
  readonly env: string;
  /** The default, as a person reads it. */
  readonly default: string;
  readonly means: string;
}

export const SETTINGS = {
  dir: { env: 'GRIF_DIR', default: './grif-data', means: 'the data directory: inbox/, outbox/, review/, rejected/, the store, the register (--dir)' },
  register: { env: 'GRIF_REGISTER_URL', default: 'DIR/register.sqlite', means: 'the register: a SQLite file, sqlite:PATH or postgres://… (--register)' },
  redis: { env: 'REDIS_URL', default: 'the one `grif up` started for DIR (DIR/redis.url)', means: 'the Redis the queues live in (--redis)' },
  incomingFormat: { env: 'GRIF_INCOMING_FORMAT', default: DEFAULT_INCOMING_FORMAT, means: 'how incoming numbers are written: {seq}, {yyyy}, {yy} (--incoming-format)' },
  authority: { env: 'GRIF_AUTHORITY', default: '(none)', means: "the receiving authority's name in the registration block (--authority)" },
  token: { env: 'GRIF_TOKEN', default: 'generated at the first start, kept in DIR/http.token', means: "the HTTP service's shared token" },
  logLevel: { env: 'GRIF_LOG_LEVEL', default: 'info', means: 'debug, info, warn or error (--log-level)' },
  lockMs: { env: 'GRIF_LOCK_MS', default: '30000', means: "how long a job's lock lasts: a worker killed mid-job hands its job back after this" },
  stalledMs: { env: 'GRIF_STALLED_MS', default: '30000', means: 'how often workers look for jobs whose worker died' },
  reconcileMs: { env: 'GRIF_RECONCILE_MS', default: '300000', means: 'how often grif up and grif serve make the folders agree with the register (every process does it at start)' },
  keepText: { env: 'GRIF_KEEP_TEXT_DAYS', default: '0', means: "days an ended carrier's extracted text and previews are kept (--keep-text); 0: they go when it ends" },
  today: { env: 'GRIF_TODAY', default: "today's date", means: 'the day grif overdue counts from (--today), YYYY-MM-DD: to check a deadline as of another day' },
  maxMemoryMb: { env: 'GRIF_MAX_MEMORY_MB', default: String(DEFAULT_LIMITS.maxHeapMb), means: "MiB of memory reading one carrier's PDF may take (--max-memory-mb); a PDF that needs more is refused" },
  tessdata: { env: 'GRIF_TESSDATA', default: DEFAULT_TESSDATA, means: 'the OCR language data (kaz, kir, rus), as Debian installs it' },
} as const satisfies Record<string, Setting>;

export type SettingName = keyof typeof SETTINGS;

/** A setting from the environment (trimmed; empty is unset). */
export function fromEnv(name: SettingName): string | undefined {
  const v = process.env[SETTINGS[name].env]?.trim();
  return v ? v : undefined;
}

/** For an option given more than once: every value, in order. */
export const repeatable = (value: string, previous: string[] = []): string[] => [...previous, value];

/** --dir, the same in every command that has a data directory. */
export function dirOption(what = 'the data directory: inbox/, outbox/, review/, rejected/, the store and the register'): Option {
  return new Option('--dir <DIR>', `${what} (default: $GRIF_DIR, else ${SETTINGS.dir.default})`).default(fromEnv('dir') ?? SETTINGS.dir.default);
}

/** --register, the same in every command that opens the register. */
export function registerOption(): Option {
  return new Option('--register <URL>', `the register: a SQLite file, sqlite:PATH or postgres://… (default: $GRIF_REGISTER_URL, else DIR/register.sqlite)`);
}

/** --incoming-format, as every command that writes incoming numbers takes it. */
export function incomingFormatOption(what: string): Option {
  return new Option('--incoming-format <format>', `how incoming numbers are written ${what}: {seq}, {yyyy}, {yy} (default: $GRIF_INCOMING_FORMAT, else ${DEFAULT_INCOMING_FORMAT})`)
    .default(fromEnv('incomingFormat') ?? DEFAULT_INCOMING_FORMAT)
    .argParser((value: string) => {
      try {
        return checkIncomingFormat(value);
      } catch (err) {
        throw new InvalidArgumentError((err as Error).message);
      }
    });
}

/** Where the register is, and which setting said so (for a message when it is not there). */
export function registerLocation(flags: { readonly dir: string; readonly register?: string | undefined }): { url: string; source: string } {
  if (flags.register) return { url: flags.register, source: '--register' };
  const env = fromEnv('register');
  if (env) return { url: env, source: 'GRIF_REGISTER_URL' };
  return { url: join(resolve(flags.dir), 'register.sqlite'), source: flags.dir === SETTINGS.dir.default ? 'the default' : '--dir / GRIF_DIR' };
}

/** A whole number of milliseconds (at least 100) from the environment, or undefined. */
export function envMs(name: 'lockMs' | 'stalledMs' | 'reconcileMs'): number | undefined {
  const v = fromEnv(name);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 100) throw new UsageError(`${SETTINGS[name].env} must be a whole number of milliseconds, at least 100 (got "${v}")`);
  return n;
}

const MEMORY_MB = { min: 64, max: 65_536 } as const;
const memoryProblem = (v: string): boolean => !/^\d+$/.test(v) || Number(v) < MEMORY_MB.min || Number(v) > MEMORY_MB.max;

/** --max-memory-mb N, for the commands that read carriers: the heap of the thread one PDF is read in. */
export function maxMemoryOption(): Option {
  return new Option('--max-memory-mb <N>', `MiB of memory reading one carrier's PDF may take; a PDF that needs more is refused (default: $GRIF_MAX_MEMORY_MB, else ${SETTINGS.maxMemoryMb.default})`).argParser(
    (v: string) => {
      if (memoryProblem(v.trim())) throw new InvalidArgumentError(`a whole number of MiB from ${MEMORY_MB.min} to ${MEMORY_MB.max}.`);
      return v.trim();
    },
  );
}

/** The memory one PDF may take: the flag, else GRIF_MAX_MEMORY_MB, else the default; a bad value names its source. */
export function maxMemoryMb(flag: string | undefined): number {
  const v = flag ?? fromEnv('maxMemoryMb');
  if (v === undefined) return Number(SETTINGS.maxMemoryMb.default);
  if (memoryProblem(v)) throw new UsageError(`${SETTINGS.maxMemoryMb.env} must be a whole number of MiB from ${MEMORY_MB.min} to ${MEMORY_MB.max} (got "${v}")`);
  return Number(v);
}

/** How a command without reading flags of its own reads carriers: the OCR data and the memory one PDF may take, from the environment. */
export function readingFromEnv(): { tessdata?: string; limits: { maxHeapMb: number } } {
  const tessdata = fromEnv('tessdata');
  return { ...(tessdata ? { tessdata } : {}), limits: { maxHeapMb: maxMemoryMb(undefined) } };
}

/** --keep-text DAYS, for the commands that run stages or the reconciler. */
export function keepTextOption(): Option {
  return new Option('--keep-text <DAYS>', "days an ended carrier's extracted text and previews are kept (default: $GRIF_KEEP_TEXT_DAYS, else 0: they go when it ends)")
    .default(fromEnv('keepText') ?? SETTINGS.keepText.default)
    .argParser((v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 0 || n > 36_500) throw new InvalidArgumentError('--keep-text is a whole number of days, 0 or more.');
      return String(n);
    });
}
