/**
 * A throwaway PostgreSQL server for tests, from Debian's binaries: its own data directory in a
 * temp dir, listening on 127.0.0.1 only (port picked free) with its socket inside that dir. Trust
 * authentication is acceptable only because nothing but loopback and that private socket can reach it.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';

const PG_ROOT = '/usr/lib/postgresql';

/** The bin directory of the newest installed PostgreSQL that has initdb and postgres. */
export function postgresBin(): string | undefined {
  if (!existsSync(PG_ROOT)) return undefined;
  const versions = readdirSync(PG_ROOT)
    .filter((v) => /^\d+(\.\d+)?$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  for (const v of versions) {
    const bin = join(PG_ROOT, v, 'bin');
    if (existsSync(join(bin, 'initdb')) && existsSync(join(bin, 'postgres'))) return bin;
  }
  return undefined;
}

export function postgresAvailable(): boolean {
  return postgresBin() !== undefined;
}

export const POSTGRES_SKIP_REASON = `no PostgreSQL binaries in ${PG_ROOT}/<version>/bin (apt-get install postgresql)`;

export interface TestPostgres {
  /** A superuser URL to the `postgres` database. */
  url: string;
  /** A new empty database, for a test that needs its own; returns its URL. */
  createDatabase(): Promise<string>;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

// initdb and postgres refuse to run as root: then run them as Debian's postgres user.
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const id = (flag: string): number => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    throw new Error('running as root and there is no postgres user to run PostgreSQL as (Debian\'s postgresql package creates it)');
  }
}

function argv(user: { uid: number } | undefined, bin: string, args: string[]): [string, string[]] {
  return user ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function waitReady(url: string, child: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`postgres exited:\n${log()}`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => {});
      if (Date.now() > deadline) throw new Error(`postgres did not accept connections within 30 s:\n${log()}`);
      await sleep(100);
    }
  }
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = postgresBin();
  if (!bin) throw new Error(POSTGRES_SKIP_REASON);
  const user = runAs();
  const base = mkdtempSync(join(tmpdir(), 'grif-pg-'));
  if (user) chownSync(base, user.uid, user.gid);
  const data = join(base, 'data');
  const [initdb, initArgs] = argv(user, join(bin, 'initdb'), ['-D', data, '-U', 'grif', '-A', 'trust', '-E', 'UTF8', '--no-locale', '--no-sync']);
  try {
    execFileSync(initdb, initArgs, { cwd: base, stdio: 'pipe' });
  } catch (err) {
    rmSync(base, { recursive: true, force: true });
    const stderr = (err as { stderr?: Buffer }).stderr?.toString() ?? '';
    throw new Error(`initdb failed: ${stderr || String(err)}`);
  }
  // Replace the default rules: trust, but only from loopback and the private socket directory.
  writeFileSync(join(data, 'pg_hba.conf'), 'local all all trust\nhost all all 127.0.0.1/32 trust\n');

  // The postmaster's own pid (under runuser, the child is runuser): signal it directly.
  const postmasterPid = (): number | undefined => {
    try {
      return Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]) || undefined;
    } catch {
      return undefined;
    }
  };
  const signal = (sig: NodeJS.Signals): void => {
    const pid = postmasterPid();
    try {
      if (pid) process.kill(pid, sig);
    } catch {
      // already gone
    }
  };
  let child: ChildProcess | undefined;
  let port = 0;
  let output = '';
  // Another process may take the free port between our check and postgres binding it: try again.
  for (let attempt = 1; ; attempt++) {
    port = await freePort();
    output = '';
    const [file, args] = argv(user, join(bin, 'postgres'), [
      '-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', base,
      // Test data need not survive a power cut.
      '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off',
    ]);
    child = spawn(file, args, { cwd: base, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout?.on('data', (b: Buffer) => (output += b.toString()));
    child.stderr?.on('data', (b: Buffer) => (output += b.toString()));
    try {
      await waitReady(`postgresql://grif@127.0.0.1:${port}/postgres`, child, () => output);
      break;
    } catch (err) {
      signal('SIGKILL');
      child.kill('SIGKILL');
      if (attempt < 3 && /could not bind|address already in use/i.test(output)) continue;
      rmSync(base, { recursive: true, force: true });
      throw err;
    }
  }
  const server = child;

  // A test run that dies without stop() must not leave a server behind.
  const onExit = (): void => signal('SIGQUIT');
  process.once('exit', onExit);

  const url = `postgresql://grif@127.0.0.1:${port}/postgres`;
  let databases = 0;
  let stopped: Promise<void> | undefined;
  return {
    url,
    async createDatabase() {
      const name = `grif_test_${++databases}`;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${name}`);
      } finally {
        await client.end();
      }
      return `postgresql://grif@127.0.0.1:${port}/${name}`;
    },
    stop() {
      stopped ??= (async () => {
        process.off('exit', onExit);
        if (server.exitCode === null && server.signalCode === null) {
          const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
          signal('SIGINT'); // fast shutdown: ends sessions, no wait for clients
          const timer = setTimeout(() => {
            signal('SIGKILL');
            server.kill('SIGKILL');
          }, 15_000);
          await exited;
          clearTimeout(timer);
        }
        rmSync(base, { recursive: true, force: true });
      })();
      return stopped;
    },
  };
}

/** Runs SQL straight through the driver, past grif's register: what a person with database access could do. */
export async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
