/**
 * A task's job vanished from Redis before its result came back: the server restarted without its
 * data (or evicted it). Whether the task ran is unknown; submit it again if it is idempotent.
 */
export class JobLostError extends Error {
  readonly jobId: string;
  constructor(jobId: string, message = `job ${jobId} vanished from Redis before its result came back`) {
    super(message);
    this.jobId = jobId;
  }
}
Object.defineProperty(JobLostError.prototype, 'name', {
  value: 'JobLostError',
  writable: true,
  configurable: true,
});
