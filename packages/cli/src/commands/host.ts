import { once } from 'node:events';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type Host, startHost } from '@forkroad/distributed';
import { type CliIO, EXIT_OK, UsageError } from '../io.js';
import type { Command } from '../main.js';

export const HOST_USAGE = `usage: forkroad host --redis <url> --queue <name> [--concurrency <n>] [--processes] -- <task module>

Runs the tasks of a @forkroad/distributed queue on this machine, until Ctrl-C (SIGINT) or SIGTERM:
then it stops taking tasks, lets the running ones finish, and exits. Start one per machine; a
host that dies instead loses nothing, its tasks run again on another host within about 3 s.

options:
  --redis <url>        the Redis every producer and host of the queue shares (redis:// or rediss://)
  --queue <name>       the queue's name, as the producers' createExecutor({ queue })
  --concurrency <n>    tasks run at once here, each on a worker of its own (default: the CPU count)
  --processes          run tasks on child processes instead of worker threads
  -h, --help           show this help

example:
  forkroad host --redis redis://10.0.0.5:6379 --queue primes -- ./tasks.js
`;

export interface HostArgs {
  help: boolean;
  redis: string;
  queue: string;
  module: string;
  concurrency?: number;
  runtime: 'threads' | 'processes';
}

/** Parses the arguments after `host`. @throws UsageError naming what is missing or wrong. */
export function parseHostArgs(argv: readonly string[], cwd = process.cwd()): HostArgs {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  const { values, positionals } = parsed;
  if (values.help) return { help: true, redis: '', queue: '', module: '', runtime: 'threads' };
  if (!values.redis) throw new UsageError('--redis <url> is required (e.g. redis://127.0.0.1:6379)');
  if (!/^rediss?:\/\//.test(values.redis))
    throw new UsageError(`--redis must be a redis:// URL, got '${values.redis}'`);
  if (!values.queue) throw new UsageError('--queue <name> is required');
  if (positionals.length !== 1) throw new UsageError('give one task module after --, e.g. -- ./tasks.js');
  const args: HostArgs = {
    help: false,
    redis: values.redis,
    queue: values.queue,
    module: resolve(cwd, positionals[0]!),
    runtime: values.processes ? 'processes' : 'threads',
  };
  if (values.concurrency !== undefined) {
    const concurrency = Number(values.concurrency);
    if (!Number.isInteger(concurrency) || concurrency < 1)
      throw new UsageError(`--concurrency must be a positive integer, got '${values.concurrency}'`);
    args.concurrency = concurrency;
  }
  return args;
}

function parse(argv: readonly string[]) {
  return parseArgs({
    args: [...argv],
    options: {
      redis: { type: 'string' },
      queue: { type: 'string' },
      concurrency: { type: 'string' },
      processes: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: true,
  });
}

/** `forkroad host …`: serves the queue until SIGINT or SIGTERM, then closes cleanly and exits 0. */
export const host: Command = async (argv: string[], io: CliIO): Promise<number> => {
  const args = parseHostArgs(argv);
  if (args.help) {
    io.stdout.write(HOST_USAGE);
    return EXIT_OK;
  }
  const served: Host = await startHost({
    connection: args.redis,
    queue: args.queue,
    module: args.module,
    runtime: args.runtime,
    ...(args.concurrency === undefined ? {} : { concurrency: args.concurrency }),
  });
  io.stderr.write(
    `forkroad host ${served.id}: serving queue '${args.queue}' from ${args.module} on ${args.runtime}; Ctrl-C to stop\n`,
  );
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await once(stop.signal, 'abort');
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  io.stderr.write('forkroad host: stopping: letting running tasks finish\n');
  await served.close();
  const { completed, failed, cancelled, reruns } = served.stats();
  io.stderr.write(
    `forkroad host: stopped after ${completed} completed, ${failed} failed, ${cancelled} cancelled (${reruns} re-runs)\n`,
  );
  return EXIT_OK;
};
