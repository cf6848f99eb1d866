/**
 * `node dist/src/service/redis-server-main.js DIR [PORT]` (scripts/redis.sh): runs Redis for grif in
 * the foreground, prints the REDIS_URL to use, and stops Redis in order on Ctrl-C or SIGTERM.
 */
import { checkRedisForBullmq, startRedis } from './redis-server.js';
import { GrifError } from '../errors.js';

async function main(argv: readonly string[]): Promise<number> {
  const [dir, portArg, ...rest] = argv;
  const port = portArg === undefined ? 0 : Number(portArg);
  if (!dir || rest.length > 0 || !Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write('usage: scripts/redis.sh DIR [PORT]\n');
    return 2;
  }
  const redis = await startRedis({ dir, port });
  for (const w of await checkRedisForBullmq(redis.url)) process.stderr.write(`warning: ${w}\n`);
  process.stdout.write(`REDIS_URL=${redis.url}\n`);
  process.stderr.write(`Redis ${redis.pid} is running on port ${redis.port} with its data in ${dir}; Ctrl-C stops it\n`);

  let stopped: Promise<void> | undefined;
  const stop = (): void => {
    stopped ??= redis.stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await redis.exited;
  if (stopped) {
    await stopped;
    return 0;
  }
  // Redis ended without us asking (killed, crashed).
  process.stderr.write(`redis-server exited (code ${String(code)})\n`);
  return 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof GrifError ? err.message : String(err)}\n`);
    process.exit(1);
  },
);
