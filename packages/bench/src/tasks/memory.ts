/** The memory suite's task module: holds a worker busy for a while and reports its memory. */
import { memorySnapshot } from '../measure.js';

export interface WorkerMemory {
  pid: number;
  rss: number;
  pss: number | null;
  vsize: number | null;
}

/** Waits `ms` (so that each of N concurrent calls lands on its own worker) and reports this worker's memory. */
export async function hold(ms: number): Promise<WorkerMemory> {
  await new Promise((resolve) => setTimeout(resolve, ms));
  return { pid: process.pid, ...memorySnapshot() };
}
