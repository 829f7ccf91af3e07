import type { BenchProgress } from '@forkroad/bench';

type Stream = NodeJS.WritableStream & { isTTY?: boolean; columns?: number };

export interface ProgressView {
  update(event: BenchProgress): void;
  /** Clears a bar still drawn (after an error or an interrupt). */
  stop(): void;
}

const CLEAR = '\r\x1b[K';

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Progress on stderr: in a terminal, one bar per suite redrawn in place (with the elapsed time
 * ticking between samples, which can take seconds); otherwise one plain line per event.
 */
export function progressView(stream: Stream): ProgressView {
  return stream.isTTY === true ? new Bars(stream) : new Lines(stream);
}

class Lines implements ProgressView {
  constructor(private readonly stream: Stream) {}

  update(event: BenchProgress): void {
    if (event.type === 'suite-start') {
      this.stream.write(`bench ${event.suite}: ${event.title} (${event.total} steps)\n`);
    } else if (event.type === 'step') {
      this.stream.write(`bench ${event.suite} ${event.done}/${event.total} ${event.label}\n`);
    } else {
      this.stream.write(`bench ${event.suite}: ${event.status} in ${seconds(event.ms)}\n`);
    }
  }

  stop(): void {}
}

class Bars implements ProgressView {
  private suite = '';
  private done = 0;
  private total = 0;
  private label = '';
  private started = 0;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(private readonly stream: Stream) {}

  update(event: BenchProgress): void {
    if (event.type === 'suite-start') {
      this.suite = event.suite;
      this.done = 0;
      this.total = event.total;
      this.label = event.title;
      this.started = performance.now();
      this.timer ??= setInterval(() => this.draw(), 250);
      this.timer.unref();
      this.draw();
    } else if (event.type === 'step') {
      this.done = event.done;
      this.total = event.total;
      this.label = event.label;
      this.draw();
    } else {
      this.clearTimer();
      this.done = this.total;
      this.label = event.status === 'ok' ? 'done' : 'skipped';
      this.draw(seconds(event.ms));
      this.stream.write('\n');
      this.suite = '';
    }
  }

  private draw(time = seconds(performance.now() - this.started)): void {
    if (!this.suite) return;
    const width = 24;
    const share = this.total > 0 ? Math.min(1, this.done / this.total) : 1;
    const filled = Math.round(share * width);
    const bar = `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
    const count = `${this.done}/${this.total}`;
    const head = `${this.suite.padEnd(8)} ${bar} ${count.padStart(7)} ${time.padStart(8)}  `;
    const room = Math.max(0, (this.stream.columns || 80) - head.length - 1);
    const label = this.label.length > room ? `${this.label.slice(0, Math.max(0, room - 1))}…` : this.label;
    this.stream.write(`${CLEAR}${head}${label}`);
  }

  private clearTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  stop(): void {
    this.clearTimer();
    if (this.suite) this.stream.write('\n');
    this.suite = '';
  }
}
