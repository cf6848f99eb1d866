// A real redis-server for tests, in a temp dir, that can be restarted on the same data and port.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedis, type RedisHandle } from '../../src/service/redis-server.js';

export interface TestRedis extends RedisHandle {
  readonly dir: string;
  /** Stop, then start again on the same dir and port (same URL; a new pid). */
  restart(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const dir = await mkdtemp(join(tmpdir(), 'grif-redis-'));
  let current = await startRedis({ dir });
  return {
    dir,
    get url() {
      return current.url;
    },
    get port() {
      return current.port;
    },
    get pid() {
      return current.pid;
    },
    get exited() {
      return current.exited;
    },
    async restart() {
      await current.stop();
      current = await startRedis({ dir, port: current.port });
    },
    /** Stops Redis and removes its temp dir. */
    async stop() {
      await current.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
