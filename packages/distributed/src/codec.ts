import { deserialize, serialize } from 'node:v8';
import { deserializeError, SerializationError, serializeError } from '@forkroad/executor';

/**
 * How values travel between machines: `v8.serialize`, the structured-clone algorithm worker
 * threads use, so `undefined`, `Map`, `Set`, `Date`, typed arrays, `NaN` and `BigInt` arrive as
 * they left, on every backend alike. BullMQ keeps job data as JSON, so a job carries its payload
 * as base64 inside it.
 */

/** A job's data in BullMQ. */
export interface JobData {
  /** The producer whose results list gets the outcome. */
  p: string;
  /** The task's name. */
  n: string;
  /** base64 of the serialized arguments, or of the inputs when `b` is set. */
  a: string;
  /** A batch: `a` holds one input per call. */
  b?: 1;
  /** The producer times this task: the host reports when it starts. */
  s?: 1;
  /**
   * Not a task but a question about the host's task module: 'ready' (has it loaded?) or 'check'
   * (does it export a function `n`?). Answered like a task, with no value or the error.
   */
  k?: 'ready' | 'check';
}

/** What a batch job answers: the results ahead of the input that failed, if one did. */
export interface BatchOutcome {
  results: unknown[];
  failure?: { error: unknown };
}

/** A host says it has started a job: the task's timeout counts from here. */
export interface Started {
  id: string;
  started: true;
}

/** What a host reports for one job, once it has run. */
export interface Outcome {
  id: string;
  ok: boolean;
  /** The result (of a batch: the results), or the serialized error. */
  value: unknown;
  /** How many times the job was picked up again after a host died with it. */
  reruns: number;
  /** Time the task (or batch) ran on the host, in ms. */
  durationMs: number;
}

/** Serializes `value` or throws SerializationError naming `what`. */
export function encode(value: unknown, what: string): Buffer {
  try {
    return serialize(value);
  } catch (cause) {
    throw new SerializationError(
      `${what} cannot be sent to a host: ${cause instanceof Error ? cause.message : String(cause)}`,
      { cause },
    );
  }
}

export function jobData(
  producer: string,
  name: string,
  payload: unknown[],
  batch: boolean,
  timed: boolean,
  question?: JobData['k'],
): JobData {
  const data: JobData = {
    p: producer,
    n: name,
    a: encode(payload, batch ? `an input of map('${name}')` : `an argument of '${name}'`).toString('base64'),
  };
  if (batch) data.b = 1;
  if (timed) data.s = 1;
  if (question) data.k = question;
  return data;
}

export function payloadOf(data: JobData): unknown[] {
  return deserialize(Buffer.from(data.a, 'base64')) as unknown[];
}

/** An outcome as bytes; a result that cannot travel becomes a SerializationError outcome. */
export function encodeOutcome(outcome: Outcome, batch = false): Buffer {
  if (!outcome.ok) return serialize({ ...outcome, value: serializeError(outcome.value) });
  if (batch) {
    const { results, failure } = outcome.value as BatchOutcome;
    if (failure)
      outcome = { ...outcome, value: { results, failure: { error: serializeError(failure.error) } } };
  }
  try {
    return serialize(outcome);
  } catch (cause) {
    const error = new SerializationError(
      `the result cannot be sent back from the host: ${cause instanceof Error ? cause.message : String(cause)}`,
    );
    return serialize({ ...outcome, ok: false, value: serializeError(error) });
  }
}

export function encodeStarted(id: string): Buffer {
  return serialize({ id, started: true } satisfies Started);
}

/** A host's report: a start, or an outcome with its error (or its batch's failure) rebuilt. */
export function decodeReport(bytes: Buffer): Started | Outcome {
  const report = deserialize(bytes) as Started | Outcome;
  if (!('ok' in report)) return report;
  if (!report.ok) report.value = deserializeError(report.value);
  else {
    const failure = (report.value as BatchOutcome | null)?.failure;
    if (failure && typeof failure === 'object') failure.error = deserializeError(failure.error);
  }
  return report;
}
