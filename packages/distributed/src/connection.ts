import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: ioredis options such as `{ host, port }`, or a `redis://` / `rediss://` URL. */
export type Connection = RedisOptions | string;

/** The connection as ioredis options; a URL becomes host, port, credentials, db and TLS. */
export function redisOptions(connection: Connection): RedisOptions {
  if (typeof connection === 'object' && connection !== null) return { ...connection };
  if (typeof connection !== 'string' || !/^rediss?:\/\//.test(connection)) {
    throw new TypeError(
      `connection must be ioredis options ({ host, port }) or a redis:// URL, got ${describe(connection)}`,
    );
  }
  const url = new URL(connection);
  const options: RedisOptions = { host: url.hostname || '127.0.0.1', port: Number(url.port || 6379) };
  if (url.username) options.username = decodeURIComponent(url.username);
  if (url.password) options.password = decodeURIComponent(url.password);
  const db = url.pathname.replace(/^\//, '');
  if (db !== '') options.db = Number(db);
  if (url.protocol === 'rediss:') options.tls = {};
  return options;
}

/**
 * A client of our own (results, cancels, heartbeats). Commands wait through a reconnect instead
 * of failing after a few retries, as BullMQ requires of its own connections.
 */
export function connect(options: RedisOptions, name: string): Redis {
  return new Redis({ ...options, maxRetriesPerRequest: null, connectionName: name });
}

/** Closes a client, waiting for its replies when it is connected, at once when it is not. */
export async function disconnect(client: Redis): Promise<void> {
  if (client.status === 'ready') {
    await client.quit().catch(() => client.disconnect());
  } else {
    client.disconnect();
  }
}

/** A value, briefly, for error messages. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `'${value}'`;
  if (value === null || typeof value !== 'object') return String(value);
  return Array.isArray(value) ? 'an array' : 'an object';
}
