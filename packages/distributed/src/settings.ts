/**
 * BullMQ's lock and stall settings, shortened so that a host that dies without a word (SIGKILL,
 * power loss, a partition) has its tasks picked up by another host within about 3 s instead of
 * BullMQ's default of a minute or more.
 *
 * A host holds a lock on each job it runs and renews it every `lockRenewTime`; the lock expires
 * `lockDuration` after the last renewal; every host checks for expired locks every
 * `stalledInterval` and puts those jobs back in the queue. Worst case after a host dies:
 * lockDuration + stalledInterval = 2 s. A host whose event loop stalls for longer than
 * lockDuration − lockRenewTime (1 s) may lose a job it still runs, which then runs twice: the
 * event loop of a host only moves messages (tasks run on its worker threads), so that takes a
 * badly overloaded machine.
 */
export const lockSettings = {
  lockDuration: 1_500,
  lockRenewTime: 500,
  stalledInterval: 500,
  /** A job whose hosts died this many times fails with WorkerCrashedError instead of running again. */
  maxStalledCount: 5,
} as const;

/**
 * How often a host says it is alive (with how many tasks it runs), how long that word lasts, and
 * how soon after its running count changes it says so again.
 */
export const heartbeat = { everyMs: 1_000, ttlMs: 3_500, soonestMs: 100 } as const;

/** How long a cancel flag is kept, for a host that picks the job up late. */
export const cancelFlagTtlSeconds = 24 * 3600;
