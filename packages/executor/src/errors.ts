/**
 * The error classes of the executor contract. Every backend rejects with these, so callers can
 * branch on `instanceof` or on `error.name` (which survives any boundary) whatever backend runs.
 */

/** A task ran longer than its timeout; the caller is answered at once, the task is told to stop. */
export class TimeoutError extends Error {
  /** The limit that was exceeded, in milliseconds. */
  readonly timeout: number;
  constructor(timeout: number, message = `task timed out after ${timeout} ms`) {
    super(message);
    this.timeout = timeout;
  }
}

/** A task was cancelled before it could finish: shutdown({ cancelPending }) or a map that stopped. */
export class CancelledError extends Error {
  constructor(message = 'task was cancelled') {
    super(message);
  }
}

/** The worker running a task died (process.exit, fatal error, out of memory, a kill signal). */
export class WorkerCrashedError extends Error {
  /** The worker's exit code, when it exited; null when it was killed by a signal or the code is unknown. */
  readonly exitCode: number | null;
  /** The signal that killed a child process, when one did. */
  readonly signal: string | null;
  constructor(
    message: string,
    details: { exitCode?: number | null; signal?: string | null; cause?: unknown } = {},
  ) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.exitCode = details.exitCode ?? null;
    this.signal = details.signal ?? null;
  }
}

/** An argument or a result could not be copied across the thread or process boundary. */
export class SerializationError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** `submit` found the queue already holding `maxQueue` tasks. */
export class QueueFullError extends Error {
  readonly maxQueue: number;
  constructor(maxQueue: number) {
    super(`queue is full: ${maxQueue} task(s) already waiting (maxQueue)`);
    this.maxQueue = maxQueue;
  }
}

/** Work was offered to an executor that is shutting down or shut down. */
export class ExecutorClosedError extends Error {
  constructor(message = 'executor is shut down: it accepts no new tasks') {
    super(message);
  }
}

/** The contract's error classes by name: deserializeError rebuilds these. */
const contractErrors = {
  TimeoutError,
  CancelledError,
  WorkerCrashedError,
  SerializationError,
  QueueFullError,
  ExecutorClosedError,
} as const;

// `name` lives on the prototype, as it does for TypeError, so that it is not an own enumerable
// property of every instance and an error rebuilt with Object.create gets it too.
for (const [name, errorClass] of Object.entries(contractErrors)) {
  Object.defineProperty(errorClass.prototype, 'name', { value: name, writable: true, configurable: true });
}

const builtinErrors: Record<string, ErrorConstructor> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/** The plain-data form of an error, as it crosses a thread or process boundary. */
export interface SerializedError {
  readonly $forkroadError: true;
  name: string;
  message: string;
  stack?: string;
  /** Own enumerable properties (code, errno, …), each serialized the same way when it is an error. */
  props: Record<string, unknown>;
  cause?: unknown;
  /** AggregateError's errors. */
  errors?: unknown[];
}

export function isSerializedError(value: unknown): value is SerializedError {
  return typeof value === 'object' && value !== null && (value as SerializedError).$forkroadError === true;
}

const MAX_DEPTH = 8;

/**
 * Turns anything thrown into plain data that structured clone (and JSON) can carry, keeping
 * `name`, `message`, `stack`, `cause` and own enumerable properties such as `code`.
 */
export function serializeError(error: unknown, depth = 0): unknown {
  if (!(error instanceof Error) || depth > MAX_DEPTH) return toPlainData(error, depth);
  const props: Record<string, unknown> = {};
  for (const key of Object.keys(error)) {
    if (key === 'name' || key === 'message' || key === 'stack' || key === 'cause' || key === 'errors')
      continue;
    props[key] = serializeProp((error as unknown as Record<string, unknown>)[key], depth);
  }
  const serialized: SerializedError = {
    $forkroadError: true,
    name: error.name,
    message: error.message,
    props,
  };
  if (error.stack !== undefined) serialized.stack = error.stack;
  if ('cause' in error) serialized.cause = serializeError(error.cause, depth + 1);
  if (error instanceof AggregateError)
    serialized.errors = error.errors.map((e) => serializeError(e, depth + 1));
  return serialized;
}

function serializeProp(value: unknown, depth: number): unknown {
  return value instanceof Error ? serializeError(value, depth + 1) : toPlainData(value, depth + 1);
}

/** Keeps what can be cloned; replaces what cannot (functions, symbols) with a description. */
function toPlainData(value: unknown, depth: number): unknown {
  if (value === null || value === undefined) return value;
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
    case 'bigint':
      return value;
    case 'function':
      return `[function ${(value as Function).name || 'anonymous'}]`;
    case 'symbol':
      return value.toString();
  }
  if (depth > MAX_DEPTH) return '[nested too deeply]';
  if (Array.isArray(value)) return value.map((item) => serializeProp(item, depth));
  if (Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = serializeProp(v, depth);
    return out;
  }
  try {
    return structuredClone(value);
  } catch {
    return String(value);
  }
}

/** Rebuilds an error from `serializeError`'s output: same class where it is one we know, same name always. */
export function deserializeError(value: unknown): unknown {
  if (!isSerializedError(value)) return value;
  const cause = value.cause === undefined ? undefined : deserializeError(value.cause);
  const options = 'cause' in value ? { cause } : undefined;
  let error: Error;
  const contract = Object.hasOwn(contractErrors, value.name)
    ? contractErrors[value.name as keyof typeof contractErrors]
    : undefined;
  if (value.errors) {
    error = new AggregateError(value.errors.map(deserializeError), value.message, options);
  } else if (contract) {
    error = Object.create(contract.prototype) as Error;
    Object.defineProperty(error, 'message', { value: value.message, writable: true, configurable: true });
    if (options) Object.defineProperty(error, 'cause', { value: cause, writable: true, configurable: true });
  } else {
    const builtin = Object.hasOwn(builtinErrors, value.name) ? builtinErrors[value.name]! : Error;
    error = new builtin(value.message, options);
  }
  // `name` goes on the instance only where the prototype's differs, as for a user's subclass.
  if (error.name !== value.name) {
    Object.defineProperty(error, 'name', { value: value.name, writable: true, configurable: true });
  }
  Object.defineProperty(error, 'stack', {
    value: value.stack ?? `${value.name}: ${value.message}`,
    writable: true,
    configurable: true,
  });
  for (const [key, prop] of Object.entries(value.props)) {
    (error as unknown as Record<string, unknown>)[key] = deserializeError(prop);
  }
  return error;
}
