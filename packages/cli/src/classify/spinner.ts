/** A one-line spinner on a terminal stream; does nothing when the stream is not a TTY. */
export interface Spinner {
  /** Clears the spinner line, runs `write` (other output), and lets the spinner draw again. */
  interrupt(write: () => void): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
const CLEAR = '\r\x1b[K';

export function startSpinner(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  label: string,
): Spinner {
  if (stream.isTTY !== true) return { interrupt: (write) => write(), stop: () => undefined };
  const started = performance.now();
  let frame = 0;
  let stopped = false;
  const width = Math.max(20, (stream.columns ?? 80) - 12);
  const text = label.length > width ? `${label.slice(0, width - 1)}…` : label;
  const draw = () => {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    stream.write(`${CLEAR}${FRAMES[frame++ % FRAMES.length]} ${text} ${seconds} s`);
  };
  draw();
  const timer = setInterval(draw, 80);
  timer.unref();
  return {
    interrupt(write) {
      stream.write(CLEAR);
      write();
    },
    stop() {
      if (stopped) return;
      stopped = true;
      clearInterval(timer);
      stream.write(CLEAR);
    },
  };
}
