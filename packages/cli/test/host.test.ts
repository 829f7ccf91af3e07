import { Readable, Writable } from 'node:stream';
import { createExecutor } from '@forkroad/distributed';
import { hasRedisServer, type RedisServer, startRedisServer } from '@forkroad/distributed/redis-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOST_USAGE, parseHostArgs } from '../src/commands/host.js';
import { UsageError } from '../src/io.js';
import { main } from '../src/main.js';

class Sink extends Writable {
  text = '';
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

function fakeIO() {
  const stdout = new Sink();
  const stderr = new Sink();
  return { io: { stdout, stderr, stdin: Readable.from([]) }, stdout, stderr };
}

describe('forkroad host: arguments', () => {
  it('takes the Redis URL, the queue and one task module, resolved from the working directory', () => {
    expect(parseHostArgs(['--redis', 'redis://h:1', '--queue', 'q', '--', './tasks.js'], '/srv/app')).toEqual(
      {
        help: false,
        redis: 'redis://h:1',
        queue: 'q',
        module: '/srv/app/tasks.js',
        runtime: 'threads',
      },
    );
    expect(
      parseHostArgs(
        ['--redis', 'redis://h', '--queue', 'q', '--concurrency', '3', '--processes', '--', 't.js'],
        '/a',
      ),
    ).toMatchObject({ concurrency: 3, runtime: 'processes' });
  });

  it('names what is missing or wrong', () => {
    const cases: [string[], RegExp][] = [
      [['--queue', 'q', '--', 't.js'], /--redis <url> is required/],
      [['--redis', 'localhost:6379', '--queue', 'q', '--', 't.js'], /redis:\/\/ URL/],
      [['--redis', 'redis://h', '--', 't.js'], /--queue <name> is required/],
      [['--redis', 'redis://h', '--queue', 'q'], /one task module/],
      [['--redis', 'redis://h', '--queue', 'q', '--concurrency', '0', '--', 't.js'], /positive integer/],
      [['--redis', 'redis://h', '--queue', 'q', '--bogus'], /bogus/],
    ];
    for (const [argv, message] of cases) {
      expect(() => parseHostArgs(argv)).toThrow(UsageError);
      expect(() => parseHostArgs(argv)).toThrow(message);
    }
  });

  it('prints its help', async () => {
    const { io, stdout } = fakeIO();
    expect(await main(['host', '--help'], io)).toBe(0);
    expect(stdout.text).toBe(HOST_USAGE);
  });
});

describe.runIf(hasRedisServer())('forkroad host: serving a queue', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(() => redis?.stop());

  it('runs tasks until SIGTERM, then stops cleanly and exits 0', { timeout: 30_000 }, async () => {
    const { io, stderr } = fakeIO();
    const module = new URL('./fixtures/host-tasks.mjs', import.meta.url).pathname;
    const exit = main(
      ['host', '--redis', redis.url, '--queue', 'cli', '--concurrency', '1', '--', module],
      io,
    );
    const pool = createExecutor<typeof import('./fixtures/host-tasks.mjs')>(module, {
      connection: redis.url,
      queue: 'cli',
    });
    try {
      expect(await pool.submit('double', [21])).toBe(42);
    } finally {
      await pool.shutdown();
    }
    process.emit('SIGTERM');
    expect(await exit).toBe(0);
    expect(stderr.text).toMatch(/serving queue 'cli'/);
    expect(stderr.text).toMatch(/stopped after 1 completed/);
  });
});
