// Against a real redis-server (Debian's, /usr/bin/redis-server).
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { createServer, createConnection, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import { GrifError } from '../../src/errors.js';
import { checkRedisForBullmq, startRedis } from '../../src/service/redis-server.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

function client(url: string): Redis {
  const r = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
  r.on('error', () => {});
  return r;
}

/** One raw RESP exchange, without AUTH: what an unauthenticated client is told. */
function rawCommand(host: string, port: number, line: string): Promise<string> {
  return new Promise((res, rej) => {
    const sock = createConnection({ host, port });
    let out = '';
    sock.setEncoding('utf8');
    sock.on('connect', () => sock.write(`${line}\r\n`));
    sock.on('data', (d: string) => {
      out += d;
      if (out.includes('\r\n')) {
        sock.destroy();
        res(out.trim());
      }
    });
    sock.on('error', rej);
  });
}

describe('startRedis', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startTestRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('listens on loopback only, with protected mode, AOF and noeviction', async () => {
    expect(redis.url).toMatch(/^redis:\/\/:[0-9a-f]{48}@127\.0\.0\.1:\d+$/);
    const r = client(redis.url);
    await r.connect();
    try {
      expect(await r.call('CONFIG', 'GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await r.call('CONFIG', 'GET', 'protected-mode')).toEqual(['protected-mode', 'yes']);
      expect(await r.call('CONFIG', 'GET', 'appendonly')).toEqual(['appendonly', 'yes']);
      expect(await r.call('CONFIG', 'GET', 'appendfsync')).toEqual(['appendfsync', 'everysec']);
      expect(await r.call('CONFIG', 'GET', 'maxmemory-policy')).toEqual(['maxmemory-policy', 'noeviction']);
    } finally {
      r.disconnect();
    }
    // Not reachable on the machine's other addresses.
    const external = Object.values(networkInterfaces())
      .flat()
      .find((a) => a && a.family === 'IPv4' && !a.internal);
    if (external) {
      await expect(rawCommand(external.address, redis.port, 'PING')).rejects.toThrow(/ECONNREFUSED/);
    }
  });

  it('refuses commands without the password', async () => {
    expect(await rawCommand('127.0.0.1', redis.port, 'PING')).toMatch(/^-NOAUTH/);
    expect(await rawCommand('127.0.0.1', redis.port, 'AUTH wrong')).toMatch(/^-WRONGPASS/);
  });

  it('keeps the generated password in a 0600 file, and out of the command line', async () => {
    const file = join(redis.dir, 'redis.password');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(join(redis.dir, 'redis.conf'))).mode & 0o777).toBe(0o600);
    const password = (await readFile(file, 'utf8')).trim();
    expect(redis.url).toContain(password);
    const cmdline = await readFile(`/proc/${redis.pid}/cmdline`, 'utf8');
    expect(cmdline).not.toContain(password);
  });

  it('recovers the AOF data and the password after a restart', async () => {
    const before = { url: redis.url, pid: redis.pid };
    let r = client(redis.url);
    await r.connect();
    await r.set('grif:test', 'kept');
    r.disconnect();
    await redis.restart();
    expect(redis.url).toBe(before.url);
    expect(redis.pid).not.toBe(before.pid);
    r = client(redis.url);
    await r.connect();
    try {
      expect(await r.get('grif:test')).toBe('kept');
    } finally {
      r.disconnect();
    }
  });

  it('checkRedisForBullmq: no warnings as started, a warning for another eviction policy', async () => {
    expect(await checkRedisForBullmq(redis.url)).toEqual([]);
    const r = client(redis.url);
    await r.connect();
    try {
      await r.call('CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
      const warnings = await checkRedisForBullmq(redis.url);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/allkeys-lru.*noeviction/);
    } finally {
      await r.call('CONFIG', 'SET', 'maxmemory-policy', 'noeviction');
      r.disconnect();
    }
  });

  it('checkRedisForBullmq: tolerates a server that refuses CONFIG', async () => {
    const r = client(redis.url);
    await r.connect();
    try {
      await r.call('ACL', 'SETUSER', 'noconfig', 'on', '>pw', '~*', '&*', '+@all', '-config');
      const warnings = await checkRedisForBullmq(`redis://noconfig:pw@127.0.0.1:${redis.port}`);
      expect(warnings).toEqual([expect.stringMatching(/could not read maxmemory-policy/)]);
    } finally {
      await r.call('ACL', 'DELUSER', 'noconfig');
      r.disconnect();
    }
  });

  it('checkRedisForBullmq: an unreachable server is a retryable GrifError without the password', async () => {
    const err = await checkRedisForBullmq('redis://:secretpw@127.0.0.1:1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrifError);
    expect((err as GrifError).retryable).toBe(true);
    expect((err as GrifError).message).not.toContain('secretpw');
  });
});

describe('startRedis failures', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'grif-redis-fail-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the log file and the cause when the port is taken', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((res) => blocker.listen(0, '127.0.0.1', res));
    const port = (blocker.address() as { port: number }).port;
    try {
      const err = await startRedis({ dir: join(dir, 'taken'), port }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(GrifError);
      const message = (err as GrifError).message;
      expect(message).toContain(join(dir, 'taken', 'redis.log'));
      expect(message).toMatch(/already in use/i);
    } finally {
      await new Promise((res) => blocker.close(res));
    }
  });

  it('says how to install redis-server when the binary is missing', async () => {
    const err = await startRedis({ dir: join(dir, 'missing'), binary: '/nonexistent/redis-server' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(GrifError);
    expect((err as GrifError).message).toContain('apt-get install redis-server');
  });

  it('uses a given password as is and does not write the password file', async () => {
    const r = await startRedis({ dir: join(dir, 'given'), password: 'p@ss word"' });
    try {
      expect(r.url).toContain(encodeURIComponent('p@ss word"'));
      const c = client(r.url);
      await c.connect();
      expect(await c.ping()).toBe('PONG');
      c.disconnect();
      await expect(stat(join(dir, 'given', 'redis.password'))).rejects.toThrow(/ENOENT/);
    } finally {
      await r.stop();
    }
    expect(await r.exited).toBe(0);
  });
});
