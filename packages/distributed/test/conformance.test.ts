/**
 * The executor contract, against a real Redis and two host processes (two machines, as far as
 * the producer can tell). Each task module the suite uses has its own queue, served by both hosts.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  brokenModuleUrl,
  conformanceTasksUrl,
  describeConformance,
  slowModuleUrl,
} from '@forkroad/executor/conformance';
import { afterAll, beforeAll } from 'vitest';
import { createExecutor } from '../dist/index.js';
import { type RedisServer, startRedisServer } from '../dist/redis-server.js';
import { type HostProcess, startHostProcess } from './support/host-process.js';

let redis: RedisServer;
let hosts: HostProcess[] = [];

/** The queue that serves a task module: its file's name. */
const queueOf = (module: URL | string) => basename(fileURLToPath(module)).replace(/\.[^.]*$/, '');

beforeAll(async () => {
  redis = await startRedisServer();
  const queues: Record<string, [URL, number]> = {
    [queueOf(conformanceTasksUrl)]: [conformanceTasksUrl, 2],
    [queueOf(brokenModuleUrl)]: [brokenModuleUrl, 1],
    [queueOf(slowModuleUrl)]: [slowModuleUrl, 1],
    'no-such-module': [new URL('./no-such-module.js', conformanceTasksUrl), 1],
  };
  hosts = await Promise.all([startHostProcess(redis.url, queues), startHostProcess(redis.url, queues)]);
}, 60_000);

afterAll(async () => {
  await Promise.all(hosts.map((host) => host.stop()));
  await redis?.stop();
});

describeConformance({
  name: '@forkroad/distributed (2 hosts)',
  createExecutor: (module, options) =>
    createExecutor(module, {
      ...options,
      connection: redis.url,
      // A relative path must still be refused, as on every backend: only a real reference has a queue.
      queue:
        typeof module === 'string' && !module.startsWith('/') && !module.startsWith('file:')
          ? 'x'
          : queueOf(module),
    }),
  // stuckLoop's own test asks which worker runs the next task (see vitest.config.ts); the stuck-loop
  // test that runs instead, and test/faults.test.ts on one host, check what holds.
  faults: { crash: true, serialization: true },
  numRuns: 6,
});
