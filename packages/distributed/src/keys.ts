/**
 * The Redis keys forkroad keeps beside BullMQ's own (`bull:<queue>:…`). One place, so producer and
 * host cannot disagree.
 */
export const queueKeys = (queue: string) => ({
  /** A producer's results: a list the hosts push outcomes to and only that producer pops. */
  results: (producer: string) => `forkroad:${queue}:results:${producer}`,
  /** Set when a job is cancelled, read by the host that picks it up (or picks it up again). */
  cancelled: (jobId: string) => `forkroad:${queue}:cancelled:${jobId}`,
  /** The channel that tells running hosts to stop a job now. */
  cancelChannel: `forkroad:${queue}:cancel`,
  /** One key per live host, expiring unless the host keeps beating. */
  host: (hostId: string) => `forkroad:${queue}:host:${hostId}`,
  hostPattern: `forkroad:${queue}:host:*`,
});

export type QueueKeys = ReturnType<typeof queueKeys>;
