import { Readable, Writable } from 'node:stream';

/** A writable that keeps what it was given, and says whether it is a terminal. */
export class Sink extends Writable {
  text = '';
  constructor(
    readonly isTTY = false,
    readonly columns = 100,
  ) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** The streams of a command, in memory: stdout and stderr to read back, an empty stdin. */
export function fakeIO(tty = false) {
  const stdout = new Sink(tty);
  const stderr = new Sink(tty);
  const stdin = Readable.from([]) as Readable & { isTTY?: boolean };
  return { io: { stdout, stderr, stdin }, stdout, stderr };
}
