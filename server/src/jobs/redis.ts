import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '../logger';

/**
 * Where Redis is: a full URL handed to ioredis as it is (`redis://user:password@host:6379/2`, `rediss://` for
 * TLS, ACL user and database number included), or Sentinels that name the current primary.
 */
export type RedisConfig = {
  url?: string;
  /** `host:port,host:port`; with `sentinelName`, the URL's user, password, database and TLS still apply. */
  sentinels?: string;
  sentinelName?: string;
};

/** BullMQ needs commands to wait for a reconnection rather than fail after a few retries. */
const BULLMQ_OPTIONS: RedisOptions = { maxRetriesPerRequest: null, enableReadyCheck: true };

const sentinelList = (list: string) =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((hostPort) => {
      const at = hostPort.lastIndexOf(':');
      return at > 0
        ? { host: hostPort.slice(0, at), port: Number(hostPort.slice(at + 1)) }
        : { host: hostPort, port: 26379 };
    });

/** A new ioredis client for the configuration; each one is its own connection. */
export const createRedis = (config: RedisConfig | string, log?: Logger, extra: RedisOptions = {}) => {
  const c = typeof config === 'string' ? { url: config } : config;
  let client: Redis;
  if (c.sentinels && c.sentinelName) {
    const url = c.url ? new URL(c.url) : null;
    client = new Redis({
      ...BULLMQ_OPTIONS,
      ...extra,
      sentinels: sentinelList(c.sentinels),
      name: c.sentinelName,
      ...(url?.username ? { username: decodeURIComponent(url.username) } : {}),
      ...(url?.password ? { password: decodeURIComponent(url.password) } : {}),
      ...(url && url.pathname.length > 1 ? { db: Number(url.pathname.slice(1)) } : {}),
      ...(url?.protocol === 'rediss:' ? { tls: {} } : {}),
    });
  } else if (c.url) {
    client = new Redis(c.url, { ...BULLMQ_OPTIONS, ...extra });
  } else {
    throw new Error('Redis needs REDIS_URL (or REDIS_SENTINELS with REDIS_SENTINEL_NAME)');
  }
  // Without a listener ioredis prints every reconnection failure; the log says it once per state change.
  let lastError = '';
  client.on('error', (err: Error) => {
    if (err.message === lastError) return;
    lastError = err.message;
    log?.warn({ err: err.message }, 'redis connection error');
  });
  client.on('ready', () => {
    if (lastError) log?.info('redis connection back');
    lastError = '';
  });
  return client;
};

/** A round trip within `timeoutMs`: false when Redis is down (commands would otherwise wait for it). */
export const pingRedis = async (client: Redis, timeoutMs = 2_000) => {
  if (client.status !== 'ready') return false;
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      client.ping().then((r) => r === 'PONG'),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), timeoutMs);
      }),
    ]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
};
