/**
 * Runs Redis for the service the way BullMQ's production guidance asks: AOF persistence
 * (`appendonly yes`, `appendfsync everysec`), `maxmemory-policy noeviction` (an evicted key is a
 * lost job), a password, and a loopback-only listener. The config is written to a file under the
 * data directory rather than passed on the command line, so the password never shows in `ps`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, realpath, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { Redis } from 'ioredis';
import { GrifError } from '../errors.js';
import { processAlive } from '../process-alive.js';

export interface StartRedisOptions {
  /** Data directory: config, AOF, log and the generated password live here. */
  readonly dir: string;
  /** 0 or undefined: a free loopback port. */
  readonly port?: number;
  readonly bind?: string;
  /** Undefined: a random one, generated once and kept in `dir/redis.password` (mode 0600). */
  readonly password?: string;
  /** The redis-server binary (default `redis-server` on PATH). */
  readonly binary?: string;
  /** How long to wait for the first PONG (default 10 s). */
  readonly startTimeoutMs?: number;
}

export interface RedisHandle {
  /** `redis://:password@host:port`. */
  readonly url: string;
  readonly port: number;
  readonly pid: number;
  /** Settles when redis-server exits, for whatever reason; gives its exit code. */
  readonly exited: Promise<number | null>;
  /** SHUTDOWN (Redis flushes the AOF), then wait for the process to exit. */
  stop(): Promise<void>;
}

export const PASSWORD_FILE = 'redis.password';
export const CONFIG_FILE = 'redis.conf';
export const LOG_FILE = 'redis.log';
/** Written by redis-server itself (the config's pidfile), removed when it exits cleanly. */
export const PID_FILE = 'redis.pid';

export async function startRedis(opts: StartRedisOptions): Promise<RedisHandle> {
  const dir = resolve(opts.dir);
  const bind = opts.bind ?? '127.0.0.1';
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const password = opts.password ?? (await ensurePassword(join(dir, PASSWORD_FILE)));
  const port = opts.port ? opts.port : await freePort(bind);
  const logFile = join(dir, LOG_FILE);
  const configFile = join(dir, CONFIG_FILE);
  // A Redis of this data directory left running by a grif that was killed (kill -9, a crash):
  // stopped first, so that two never write one AOF.
  await stopOrphan(dir);
  await writeFile(configFile, redisConfig({ dir, port, bind, password, logFile, pidFile: join(dir, PID_FILE) }), { mode: 0o600 });
  await chmod(configFile, 0o600); // writeFile's mode applies only when it creates the file

  const child = spawn(opts.binary ?? 'redis-server', [configFile], {
    // Own process group: a Ctrl-C in the terminal reaches us, and we stop Redis in order.
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  // Config errors are printed to stderr before the log file is opened.
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (s: string) => {
    stderr = (stderr + s).slice(-4000);
  });
  const exited = new Promise<number | null>((res) => child.once('exit', (code) => res(code)));
  const spawnError = new Promise<never>((_, rej) =>
    child.once('error', (err: NodeJS.ErrnoException) => {
      rej(
        err.code === 'ENOENT'
          ? new GrifError(
              `redis-server was not found (${opts.binary ?? 'redis-server'}); install it: apt-get install redis-server`,
              { code: 'redis/not-installed', cause: err },
            )
          : new GrifError(`could not run redis-server: ${err.message}`, { code: 'redis/spawn', cause: err }),
      );
    }),
  );
  spawnError.catch(() => {});

  // If our process goes away without stop(), take Redis with it (SIGTERM also flushes the AOF).
  const onExit = (): void => {
    child.kill('SIGTERM');
  };
  process.once('exit', onExit);
  void exited.then(() => process.removeListener('exit', onExit));

  const host = connectHost(bind);
  const url = `redis://:${encodeURIComponent(password)}@${host}:${port}`;
  try {
    await waitForPing({ child, url, port, logFile, exited, spawnError, stderr: () => stderr, timeoutMs: opts.startTimeoutMs ?? 10_000 });
  } catch (err) {
    process.removeListener('exit', onExit);
    if (child.exitCode === null && child.pid !== undefined) {
      child.kill('SIGKILL');
      await exited;
    }
    throw err;
  }

  let stopping: Promise<void> | undefined;
  return {
    url,
    port,
    pid: child.pid!,
    exited,
    stop() {
      stopping ??= stopChild(child, url, exited).finally(() => process.removeListener('exit', onExit));
      return stopping;
    },
  };
}

/** The Redis config file's text. Values are quoted so paths and passwords may hold any character. */
export function redisConfig(c: { dir: string; port: number; bind: string; password: string; logFile: string; pidFile?: string }): string {
  return [
    '# Written by grif on every start; edits are overwritten.',
    `bind ${c.bind}`,
    'protected-mode yes',
    `port ${c.port}`,
    `dir ${quote(c.dir)}`,
    'daemonize no',
    `logfile ${quote(c.logFile)}`,
    ...(c.pidFile ? [`pidfile ${quote(c.pidFile)}`] : []),
    // BullMQ: jobs must survive a restart and must never be evicted.
    'appendonly yes',
    'appendfsync everysec',
    'maxmemory-policy noeviction',
    `requirepass ${quote(c.password)}`,
    '',
  ].join('\n');
}

function quote(s: string): string {
  return `"${s.replace(/[\\"]/g, (ch) => `\\${ch}`).replace(/\n/g, '\\n').replace(/\r/g, '\\r')}"`;
}

/**
 * Stops the redis-server of this data directory that a killed grif left behind, if any: the pid in
 * its pid file, when that process is a redis-server working in this very directory (its cwd: Redis
 * moves into its `dir`), so that a reused pid is never taken for it. SIGTERM lets it write its AOF;
 * SIGKILL after 10 s. Returns the pid stopped.
 */
export async function stopOrphan(dir: string): Promise<number | undefined> {
  const pid = Number((await readFile(join(dir, PID_FILE), 'utf8').catch(() => '')).trim());
  if (!Number.isInteger(pid) || pid <= 1 || pid === process.pid || !processAlive(pid)) return undefined;
  const comm = (await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => '')).trim();
  const cwd = await realpath(`/proc/${pid}/cwd`).catch(() => '');
  if (!comm.startsWith('redis-server') || cwd !== (await realpath(dir).catch(() => dir))) return undefined;
  // Waits that hold the process up (sleep() does not: nothing else may be running yet).
  const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
  process.kill(pid, 'SIGTERM');
  for (let waited = 0; processAlive(pid) && waited < 10_000; waited += 100) await pause(100);
  if (processAlive(pid)) process.kill(pid, 'SIGKILL');
  for (let waited = 0; processAlive(pid) && waited < 5_000; waited += 100) await pause(100);
  return pid;
}

/** A Redis kept running: started again (same directory, port and password) whenever it dies. */
export interface SupervisedRedis {
  readonly url: string;
  readonly port: number;
  /** The redis-server now running (it changes when Redis is restarted). */
  pid(): number;
  /** How many times Redis died and was started again. */
  restarts(): number;
  stop(): Promise<void>;
}

/**
 * startRedis, watched: if redis-server exits while nobody stopped it (killed, crashed, out of
 * memory), it is started again on the same port, with the same data and password, so clients
 * reconnect by themselves; a second later at first, then backing off to 30 s between tries.
 */
export async function superviseRedis(
  opts: StartRedisOptions,
  log: { warn(o: object, m: string): void; error(o: object, m: string): void; info(o: object, m: string): void },
): Promise<SupervisedRedis> {
  let current = await startRedis(opts);
  const port = current.port;
  let stopped = false;
  let restarts = 0;
  const watch = (h: RedisHandle): void => {
    void h.exited.then(async (code) => {
      if (stopped || h !== current) return;
      log.error({ pid: h.pid, code }, 'Redis exited on its own: starting it again');
      for (let delay = 1000; !stopped; delay = Math.min(delay * 2, 30_000)) {
        await new Promise<void>((r) => setTimeout(r, delay));
        if (stopped) return;
        try {
          current = await startRedis({ ...opts, port });
          restarts++;
          log.info({ pid: current.pid, restarts }, 'Redis started again');
          watch(current);
          return;
        } catch (err) {
          log.error({ err: err instanceof Error ? err.message : String(err), nextTryMs: Math.min(delay * 2, 30_000) }, 'Redis could not be started again');
        }
      }
    });
  };
  watch(current);
  return {
    url: current.url,
    port,
    pid: () => current.pid,
    restarts: () => restarts,
    async stop() {
      stopped = true;
      await current.stop();
    },
  };
}

/** Read the kept password, or create it once (exclusive create: two starters agree on one). */
async function ensurePassword(file: string): Promise<string> {
  try {
    await writeFile(file, randomBytes(24).toString('hex') + '\n', { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  await chmod(file, 0o600);
  const password = (await readFile(file, 'utf8')).trim();
  if (!password) {
    throw new GrifError(`${file} is empty: delete it to have a new password generated`, { code: 'redis/password' });
  }
  return password;
}

function connectHost(bind: string): string {
  // A wildcard bind is still reached over loopback from this machine.
  return bind === '0.0.0.0' || bind === '*' || bind === '::' ? '127.0.0.1' : (bind.split(/\s+/)[0] ?? '127.0.0.1');
}

async function freePort(bind: string): Promise<number> {
  const host = connectHost(bind);
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, host, () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => res(port));
    });
  });
}

function quietClient(url: string): Redis {
  const r = new Redis(url, {
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    connectTimeout: 2000,
  });
  r.on('error', () => {}); // errors surface through the command promises
  return r;
}

interface WaitArgs {
  child: ChildProcess;
  url: string;
  port: number;
  logFile: string;
  exited: Promise<number | null>;
  spawnError: Promise<never>;
  stderr(): string;
  timeoutMs: number;
}

/**
 * Poll until our redis-server answers PING. Checking `process_id` makes sure the answer came
 * from the process we started, not from something else already on the port.
 */
async function waitForPing(a: WaitArgs): Promise<void> {
  const deadline = Date.now() + a.timeoutMs;
  let exitCode: number | null | undefined;
  void a.exited.then((c) => (exitCode = c));
  let lastError = '';
  while (Date.now() < deadline) {
    await Promise.race([a.spawnError, sleep(50)]);
    if (exitCode !== undefined) {
      await sleep(20); // let the log be flushed
      throw new GrifError(
        `redis-server exited (code ${String(exitCode)}) before answering on port ${a.port}: see ${a.logFile}` +
          (await lastLines(a.logFile, a.stderr())),
        { code: 'redis/start' },
      );
    }
    const r = quietClient(a.url);
    try {
      await r.connect();
      const info = await r.info('server');
      const pid = /process_id:(\d+)/.exec(info)?.[1];
      if (Number(pid) === a.child.pid) return;
      lastError = `another Redis (pid ${pid ?? '?'}) answers on port ${a.port}`;
    } catch (err) {
      lastError = err instanceof Error ? err.message : String(err);
    } finally {
      r.disconnect();
    }
  }
  throw new GrifError(
    `redis-server did not answer on port ${a.port} within ${a.timeoutMs} ms (${lastError}): see ${a.logFile}` +
      (await lastLines(a.logFile, a.stderr())),
    { code: 'redis/start', retryable: true },
  );
}

async function lastLines(logFile: string, stderr: string): Promise<string> {
  let log = '';
  try {
    log = await readFile(logFile, 'utf8');
  } catch {
    // no log yet: stderr says why
  }
  const lines = (log + '\n' + stderr)
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .slice(-5);
  return lines.length ? `\n  ${lines.join('\n  ')}` : '';
}

async function stopChild(child: ChildProcess, url: string, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const r = quietClient(url);
  try {
    await r.connect();
    await r.call('SHUTDOWN');
  } catch {
    // SHUTDOWN closes the connection before replying; a failure to connect falls to SIGTERM below
  } finally {
    r.disconnect();
  }
  if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === true) return;
  child.kill('SIGTERM');
  if ((await Promise.race([exited.then(() => true), sleep(10_000).then(() => false)])) === true) return;
  child.kill('SIGKILL');
  await exited;
}

// Unref'd: a wait that lost its race must not keep the process alive after everything stopped.
function sleep(ms: number): Promise<void> {
  return new Promise((res) => setTimeout(res, ms).unref());
}

/**
 * What in a running Redis goes against BullMQ's production guidance. An empty list means fine.
 * Servers that refuse CONFIG (managed services, ACLs) get a warning saying so, not an error.
 */
export async function checkRedisForBullmq(url: string): Promise<string[]> {
  const r = quietClient(url);
  try {
    try {
      await r.connect();
    } catch (err) {
      throw new GrifError(`cannot reach Redis at ${redactUrl(url)}: ${(err as Error).message}`, {
        code: 'redis/unreachable',
        retryable: true,
        cause: err,
      });
    }
    const warnings: string[] = [];
    const policy = await configGet(r, 'maxmemory-policy');
    if (policy === undefined) {
      warnings.push('could not read maxmemory-policy (CONFIG is not allowed): make sure it is noeviction, as BullMQ requires');
    } else if (policy !== 'noeviction') {
      warnings.push(`maxmemory-policy is ${policy}: BullMQ requires noeviction, or Redis may delete queued jobs`);
    }
    const aof = await configGet(r, 'appendonly');
    if (aof === 'no') warnings.push('appendonly is no: queued jobs are lost if Redis stops abruptly; set appendonly yes');
    return warnings;
  } finally {
    r.disconnect();
  }
}

async function configGet(r: Redis, key: string): Promise<string | undefined> {
  try {
    const reply = (await r.call('CONFIG', 'GET', key)) as unknown;
    return Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
  } catch {
    return undefined; // CONFIG renamed away or denied by an ACL
  }
}

/** A URL fit for a log line: the password replaced. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparsable Redis URL)';
  }
}
