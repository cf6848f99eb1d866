/**
 * `grif worker`, `grif serve` and `grif up`: the stamping service's processes. They differ only in
 * which parts of src/service/service.ts they switch on.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { ExitCode, UsageError } from '../errors.js';
import { DEFAULT_LIMITS } from '../extract/extractor.js';
import { createLogger, type Logger } from '../service/log.js';
import { redactUrl, superviseRedis, type SupervisedRedis } from '../service/redis-server.js';
import { checkToken, tokenFromEnv } from '../http/auth.js';
import { usersFileOf } from '../http/users.js';
import { startService, type RunningService, type ServiceOptions } from '../app/service.js';
import { checkIncomingFormat } from '../register/incoming.js';
import { openToRead } from './register-command.js';
import { dirOption, envMs, fromEnv, incomingFormatOption, keepTextOption, maxMemoryMb, maxMemoryOption, registerLocation, registerOption, SETTINGS } from './settings.js';
import { retryCarrier } from '../service/retry.js';
import { dataDir } from '../service/data-dir.js';
import { openQueues, producerConnection } from '../service/queues.js';
import { reconcile } from '../service/reconcile.js';
import type { IntakeContext } from '../service/intake.js';

const DEFAULT_PORT = 8470;
/** Where `grif up` leaves the URL of the Redis it started, for `grif worker` processes on this machine. */
const REDIS_URL_FILE = 'redis.url';
const TOKEN_FILE = 'http.token';

function count(name: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`${name} must be a whole number above 0.`);
    return n;
  };
}

function port(v: string): number {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('a port is a whole number from 0 to 65535.');
  return n;
}

interface CommonFlags {
  dir: string;
  keepText?: string;
  redis?: string;
  register?: string;
  logLevel?: string;
  incomingFormat: string;
}

interface WorkerFlags {
  extractConcurrency?: number;
  stampConcurrency?: number;
  ocrWorkers?: number;
  maxMemoryMb?: string;
  authority?: string;
}

interface HttpFlags {
  host: string;
  port: number;
  maxUploadMb: number;
}

function commonOptions(cmd: Command): Command {
  return cmd
    .addOption(dirOption())
    .option('--redis <URL>', 'Redis to use (default: $REDIS_URL, else the one `grif up` started for DIR)')
    .addOption(registerOption())
    .option('--log-level <LEVEL>', 'log level: debug, info, warn, error (default: $GRIF_LOG_LEVEL, else info)')
    .addOption(incomingFormatOption('in the stamp, receipts and the register'));
}

function workerOptions(cmd: Command): Command {
  return cmd
    .addOption(keepTextOption())
    .option('--extract-concurrency <N>', 'carriers extracted at once by this process (default 2)', count('--extract-concurrency'))
    .option('--stamp-concurrency <N>', 'carriers stamped at once by this process (default 2)', count('--stamp-concurrency'))
    .option('--ocr-workers <N>', 'OCR threads of this process (default: one per core)', count('--ocr-workers'))
    .addOption(maxMemoryOption())
    .option('--authority <NAME>', "the receiving authority's name for the registration block ($GRIF_AUTHORITY)");
}

function httpOptions(cmd: Command): Command {
  return cmd
    .option('--host <ADDRESS>', 'address to listen on; anything but loopback exposes the service to the network', '127.0.0.1')
    .option('--port <PORT>', 'port to listen on (0: any free port)', port, DEFAULT_PORT)
    .option('--max-upload-mb <N>', 'largest upload accepted, in MiB', count('--max-upload-mb'), DEFAULT_LIMITS.maxBytes / 2 ** 20);
}

async function redisUrlFor(flags: CommonFlags): Promise<string> {
  const given = flags.redis ?? fromEnv('redis');
  if (given) return given;
  const file = join(resolve(flags.dir), REDIS_URL_FILE);
  const saved = await readFile(file, 'utf8').catch(() => undefined);
  if (saved?.trim()) return saved.trim();
  throw new UsageError(`no Redis to use: set REDIS_URL (or --redis), or run \`grif up --dir ${flags.dir}\`, which starts one and leaves its URL in ${file}`);
}

/** GRIF_TOKEN, else the token kept in DIR (made and printed once, the first time). */
async function httpToken(dir: string, log: Logger): Promise<string> {
  const { token, generated } = tokenFromEnv({ GRIF_TOKEN: fromEnv('token') });
  if (!generated) return token;
  const file = join(resolve(dir), TOKEN_FILE);
  const saved = (await readFile(file, 'utf8').catch(() => ''))?.trim();
  if (saved) return saved;
  await mkdir(resolve(dir), { recursive: true });
  await writeFile(file, token + '\n', { mode: 0o600, flag: 'wx' }).catch(() => undefined);
  const kept = (await readFile(file, 'utf8')).trim();
  process.stderr.write(`grif: GRIF_TOKEN is not set; the service's token is\n\n  ${kept}\n\n(kept in ${file}; send it as "Authorization: Bearer <token>")\n`);
  log.info({ tokenFile: file }, 'HTTP token generated');
  return kept;
}

function serviceOptions(flags: CommonFlags, redisUrl: string, log: Logger, agent: string): ServiceOptions {
  return {
    dir: flags.dir,
    redisUrl,
    log,
    agent,
    incomingFormat: checkIncomingFormat(flags.incomingFormat),
    registerUrl: registerLocation(flags).url,
    keepTextDays: Number(flags.keepText ?? SETTINGS.keepText.default),
  };
}

/** How often grif up and grif serve reconcile the folders with the register (every process does it once at start). */
const reconcileEvery = (): NonNullable<ServiceOptions['reconcile']> => ({ everyMs: envMs('reconcileMs') ?? Number(SETTINGS.reconcileMs.default) });

function workersPart(f: WorkerFlags): NonNullable<ServiceOptions['workers']> {
  const authority = f.authority ?? fromEnv('authority');
  const tessdata = fromEnv('tessdata');
  // How soon a job whose worker died goes back to the queue: BullMQ's 30 s lock by default.
  const lockDurationMs = envMs('lockMs');
  const stalledIntervalMs = envMs('stalledMs');
  return {
    ...(lockDurationMs ? { lockDurationMs } : {}),
    ...(stalledIntervalMs ? { stalledIntervalMs } : {}),
    concurrency: {
      ...(f.extractConcurrency ? { extract: f.extractConcurrency } : {}),
      ...(f.stampConcurrency ? { stamp: f.stampConcurrency } : {}),
    },
    ...(f.ocrWorkers ? { ocrWorkers: f.ocrWorkers } : {}),
    limits: { maxHeapMb: maxMemoryMb(f.maxMemoryMb) },
    ...(tessdata ? { tessdata } : {}),
    ...(authority ? { authority } : {}),
  };
}

/** Runs until SIGTERM or Ctrl-C: the first lets jobs in hand finish, a second hands them back at once. */
function untilSignal(service: RunningService, log: Logger, also?: () => Promise<void>): Promise<void> {
  return new Promise((done) => {
    let stopping = false;
    const stop = (signal: string) => {
      if (stopping) {
        log.warn({ signal }, 'second signal: handing jobs in hand back to the queue');
        void service.close(true);
        return;
      }
      stopping = true;
      log.info({ signal }, 'stopping: finishing the jobs in hand (signal again to stop at once)');
      void service
        .close(false)
        .then(() => also?.())
        .catch((err: unknown) => log.error({ err: String(err) }, 'error while stopping'))
        .finally(() => {
          process.off('SIGTERM', onTerm);
          process.off('SIGINT', onInt);
          done();
        });
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}

export function addServiceCommands(program: Command, agent: string): void {
  const logFor = (f: CommonFlags) => {
    const level = f.logLevel ?? fromEnv('logLevel');
    return createLogger({ ...(level ? { level } : {}) });
  };

  workerOptions(commonOptions(program.command('worker')))
    .description('run the stage workers (extract, detect/verify, stamp) against Redis; start more on more machines to scale out')
    .action(async (f: CommonFlags & WorkerFlags) => {
      const log = logFor(f);
      const redisUrl = await redisUrlFor(f);
      const service = await startService({ ...serviceOptions(f, redisUrl, log, agent), workers: workersPart(f) });
      log.info({ redis: redactUrl(redisUrl), dir: service.dir.root }, 'workers running');
      await untilSignal(service, log);
    });

  httpOptions(commonOptions(program.command('serve')).addOption(keepTextOption()))
    .description('run the HTTP intake (uploads, status, downloads, review, register, /metrics, /queues) on loopback')
    .action(async (f: CommonFlags & HttpFlags) => {
      const log = logFor(f);
      const redisUrl = await redisUrlFor(f);
      const token = await httpToken(f.dir, log);
      const service = await startService({
        ...serviceOptions(f, redisUrl, log, agent),
        http: { host: f.host, port: f.port, token, maxUploadBytes: f.maxUploadMb * 2 ** 20, usersFile: usersFileOf(f.dir), ...(fromEnv('authority') ? { authority: fromEnv('authority')! } : {}) },
        reconcile: reconcileEvery(),
      });
      process.stderr.write(`grif: serving on ${service.httpUrl}\n`);
      await untilSignal(service, log);
    });

  commonOptions(program.command('retry'))
    .description('take parked or rejected carriers again (each a new round through every stage), recording who and why in the register')
    .argument('<id...>', 'carrier ids (as the register, the page and GET /carriers show them)')
    .requiredOption('--reason <TEXT>', 'why: the fault mended, the decision taken (kept in the register)')
    .option('--by <NAME>', 'who takes them again (default: $USER)')
    .action(async (ids: string[], f: CommonFlags & { reason: string; by?: string }) => {
      const log = logFor(f);
      const redisUrl = await redisUrlFor(f);
      const by = (f.by ?? process.env['USER'] ?? '').trim();
      if (!by) throw new UsageError('name who takes the carriers again: --by NAME');
      const dir = dataDir(f.dir);
      const register = await openToRead(f);
      const queues = openQueues(producerConnection(redisUrl));
      let failed = 0;
      try {
        const intake: IntakeContext = { dir, register, queues, log, agent };
        for (const id of ids) {
          try {
            const r = await retryCarrier(intake, id, { by, reason: f.reason });
            process.stdout.write(`${id}: queued again (round ${r.round})\n`);
          } catch (err) {
            failed++;
            process.stderr.write(`grif: ${id}: ${err instanceof Error ? err.message : String(err)}\n`);
          }
        }
      } finally {
        await queues.close();
        await register.close();
      }
      if (failed) process.exitCode = ExitCode.input;
    });

  program
    .command('reconcile')
    .description('make outbox/, review/ and rejected/ agree with the register now (the service does it at start and every 5 minutes), and report what it put right')
    .addOption(dirOption())
    .addOption(registerOption())
    .addOption(keepTextOption())
    .option('--json', 'print the report as JSON')
    .action(async (f: { dir: string; register?: string; json?: boolean; keepText: string }) => {
      const dir = dataDir(f.dir);
      const register = await openToRead(f);
      try {
        const r = await reconcile({ dir, register, log: createLogger({ level: 'warn' }) }, { verify: true, keepTextDays: Number(f.keepText) });
        if (f.json) process.stdout.write(JSON.stringify(r, null, 2) + '\n');
        else {
          process.stdout.write(
            `${r.carriers} carrier(s): ${r.wrote} file(s) published, ${r.removed} taken out of folders they did not belong in, ${r.temps} leftover temporary file(s) removed, ${r.texts} extracted text(s) and preview(s) of ended carriers removed\n`,
          );
          for (const m of r.missing) process.stdout.write(`missing: ${m} (the register names it; it is kept nowhere)\n`);
          for (const s of r.strays) process.stdout.write(`stray: outbox/${s} (no register event accounts for it; left as it is)\n`);
          for (const x of r.failed) process.stdout.write(`failed: ${x.carrierId}: ${x.error}\n`);
        }
        if (r.missing.length || r.failed.length || r.strays.length) process.exitCode = ExitCode.input;
      } finally {
        await register.close();
      }
    });

  workerOptions(httpOptions(commonOptions(program.command('up'))))
    .description('everything on one machine: Redis (unless REDIS_URL is set), the workers, the drop-folder watcher and the HTTP intake')
    .option('--polling', 'watch the inbox by polling (for network shares, where file events do not arrive)')
    .action(async (f: CommonFlags & WorkerFlags & HttpFlags & { polling?: boolean }) => {
      const log = logFor(f);
      // The token first: a short one is refused before anything is started.
      const token = await httpToken(f.dir, log);
      checkToken(token);
      let redis: SupervisedRedis | undefined;
      let redisUrl = f.redis ?? fromEnv('redis');
      if (!redisUrl) {
        redis = await superviseRedis({ dir: join(resolve(f.dir), 'redis') }, log);
        redisUrl = redis.url;
        await writeFile(join(resolve(f.dir), REDIS_URL_FILE), redisUrl + '\n', { mode: 0o600 });
        log.info({ redis: redactUrl(redisUrl) }, 'Redis started');
      }
      let service: RunningService;
      try {
        service = await startService({
          ...serviceOptions(f, redisUrl, log, agent),
          workers: workersPart(f),
          watcher: { ...(f.polling ? { polling: true } : {}) },
          http: { host: f.host, port: f.port, token, maxUploadBytes: f.maxUploadMb * 2 ** 20, usersFile: usersFileOf(f.dir) },
          reconcile: reconcileEvery(),
        });
      } catch (err) {
        await redis?.stop();
        throw err;
      }
      process.stderr.write(
        `grif: up. Drop carriers into ${join(service.dir.inbox, 'from-KZ')} or ${join(service.dir.inbox, 'from-KG')}; ` +
          `results in ${service.dir.outbox}, ${service.dir.review}, ${service.dir.rejected}; HTTP on ${service.httpUrl}. Ctrl-C stops.\n`,
      );
      await untilSignal(service, log, async () => {
        if (!redis) return;
        const t0 = performance.now();
        await redis.stop();
        log.info({ what: 'Redis', ms: Math.round(performance.now() - t0) }, 'stopped');
      });
    });
}
