import type {
  ConcurrencyModel,
  Phase,
  TimeBreakdown,
  TimelineWindow,
  WorkloadReport,
} from '@forkroad/classify';

export interface RenderOptions {
  /** ANSI colours. */
  color?: boolean;
  /** Width of the bar in characters (default 40). */
  width?: number;
}

const ESC = '\x1b[';
const paint = (on: boolean, code: string, text: string) =>
  on && text !== '' ? `${ESC}${code}m${text}${ESC}0m` : text;

const BAR = { cpu: '█', queue: '▓', blocked: '░' } as const;

/** Rounds cumulative shares, so the three parts always fill `width` exactly. */
export function barParts(
  time: TimeBreakdown,
  width: number,
): { cpu: number; queue: number; blocked: number } {
  const total = time.onCpuMs + time.runQueueMs + time.blockedMs;
  if (!(total > 0) || width <= 0) return { cpu: 0, queue: 0, blocked: Math.max(0, width) };
  const cpu = Math.round((time.onCpuMs / total) * width);
  const cpuQueue = Math.round(((time.onCpuMs + time.runQueueMs) / total) * width);
  return { cpu, queue: cpuQueue - cpu, blocked: width - cpuQueue };
}

/** The bar of on-CPU / waiting-for-CPU / blocked time, and its legend. */
export function renderBar(time: TimeBreakdown, options: RenderOptions = {}): string[] {
  const width = options.width ?? 40;
  const color = options.color === true;
  const parts = barParts(time, width);
  const total = time.onCpuMs + time.runQueueMs + time.blockedMs;
  const pct = (x: number) => `${total > 0 ? Math.round((x / total) * 100) : 0}%`;
  const bar =
    paint(color, '32', BAR.cpu.repeat(parts.cpu)) +
    paint(color, '33', BAR.queue.repeat(parts.queue)) +
    paint(color, '90', BAR.blocked.repeat(parts.blocked));
  // Only CPU time above the wall time means several CPUs at once; run-queue wait summed over
  // threads can exceed the wall time on one CPU.
  const wall = time.lanes > 0 ? (time.onCpuMs + time.runQueueMs) / time.lanes : 0;
  const cpus = wall > 0 ? time.onCpuMs / wall : 0;
  const lanes =
    time.lanes <= 1.05
      ? ''
      : cpus > 1.05
        ? ` (over ${cpus.toFixed(1)} CPUs: CPU time exceeds wall time)`
        : ' (on CPU plus waiting for a CPU, summed over threads, exceed the wall time)';
  return [
    bar,
    `${paint(color, '32', BAR.cpu)} on CPU ${pct(time.onCpuMs)}   ${paint(color, '33', BAR.queue)} waiting for a CPU ${pct(time.runQueueMs)}   ${paint(color, '90', BAR.blocked)} blocked ${pct(time.blockedMs)}${lanes}`,
  ];
}

const ms = (v: number) =>
  v < 10 ? `${v.toFixed(1)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;

const MODEL_NOTES: Record<'node' | 'python', Record<ConcurrencyModel, string>> = {
  node: {
    async: 'one event loop',
    threads: 'Node worker_threads (Python threads: one at a time, GIL)',
    processes: 'child processes',
  },
  python: {
    async: 'asyncio',
    threads: 'ThreadPoolExecutor: one thread runs Python at a time (GIL)',
    processes: 'ProcessPoolExecutor',
  },
};

const SPARK = '▁▂▃▄▅▆▇█';
const PHASE_MARK: Record<Phase['name'], string> = { 'start-up': 's', steady: '─', shutdown: 'e' };

/**
 * The timeline as two rows of `width` characters: CPUs busy over time (a sparkline, scaled to
 * the busiest slice) and the phase of each slice; then a legend of the phases.
 */
export function renderTimeline(
  windows: readonly TimelineWindow[],
  phases: readonly Phase[],
  width: number,
): string[] {
  if (windows.length === 0 || width <= 0) return [];
  const start = windows[0]!.startMs;
  const end = windows.reduce((a, w) => Math.max(a, w.startMs + w.wallMs), start);
  const span = Math.max(end - start, 1e-9);
  // Each character shows the window under its middle.
  const level: number[] = [];
  const phase: Phase['name'][] = [];
  let j = 0;
  for (let i = 0; i < width; i++) {
    const t = start + ((i + 0.5) / width) * span;
    while (j < windows.length - 1 && windows[j]!.startMs + windows[j]!.wallMs <= t) j++;
    const w = windows[j]!;
    level.push(w.wallMs > 0 ? w.cpuMs / w.wallMs : 0);
    phase.push(w.phase);
  }
  const top = Math.max(1, ...level);
  const spark = level
    .map((l) => (l <= 0 ? ' ' : SPARK[Math.min(SPARK.length - 1, Math.floor((l / top) * SPARK.length))]))
    .join('');
  const legend = phases
    .map(
      (p) =>
        `${PHASE_MARK[p.name]} ${p.name} ${ms(p.wallMs)} (computing ${Math.round(p.computeShare * 100)}%)`,
    )
    .join(' · ');
  return [`${spark}  CPUs busy (top ${top.toFixed(1)})`, phase.map((p) => PHASE_MARK[p]).join(''), legend];
}

/** The text report printed by `forkroad classify`. */
export function renderReport(report: WorkloadReport, options: RenderOptions = {}): string {
  const color = options.color === true;
  const lines: string[] = [];
  const cmd = report.command;
  const proc = report.process;
  if (cmd) lines.push(`forkroad classify · ${cmd.argv.join(' ')}`, '');
  if (proc)
    lines.push(`forkroad classify · pid ${proc.pid} · ${proc.argv.join(' ').replace(/\s+/g, ' ')}`, '');
  if (report.failure) {
    lines.push(
      `  ${paint(color, '1;31', `FAILED: ${report.failure.message}`)}: the measurement is not of a working run`,
    );
    const tail = report.failure.stderrTail.trimEnd().split('\n').slice(-5);
    if (tail.length > 0 && tail[0] !== '') {
      lines.push('  stderr ends with:', ...tail.map((l) => `    ${paint(color, '90', l)}`));
    }
    lines.push('');
  }
  for (const line of renderBar(report.time, options)) lines.push(`  ${line}`);
  if (report.timeline && report.timeline.length > 0) {
    lines.push('');
    for (const line of renderTimeline(report.timeline, report.phases ?? [], options.width ?? 40)) {
      lines.push(`  ${line}`);
    }
  }
  lines.push('');
  const label = report.kind.toUpperCase();
  const kindColor = report.kind === 'cpu-bound' ? '1;31' : report.kind === 'io-bound' ? '1;36' : '1;35';
  lines.push(`  ${paint(color, kindColor, label)}   confidence ${report.confidence.toFixed(2)}`);
  const facts = [`wall ${ms(report.wallMs)}`, `CPU ${ms(report.cpuMs)}`];
  if (cmd) facts[1] += ` (user ${ms(cmd.userMs)}, system ${ms(cmd.systemMs)})`;
  facts.push(`CPU ÷ wall ${report.cpuShare.toFixed(2)}`, `parallelism ${report.parallelism.toFixed(2)}`);
  if (cmd) {
    facts.push(
      cmd.timedOut ? 'timed out' : cmd.signal ? `killed by ${cmd.signal}` : `exit ${String(cmd.exitCode)}`,
    );
  }
  if (proc?.exited) facts.push('exited during sampling');
  if (report.runs > 1) facts.push(`mean of ${report.runs} runs`);
  lines.push(`  ${facts.join(' · ')}`);
  const notes: string[] = [];
  const startup = report.phases?.find((p) => p.name === 'start-up');
  if (startup && report.labelFrom === 'steady') {
    notes.push(
      `start-up ${ms(startup.wallMs)} (CPU ${ms(startup.cpuMs)}) set apart: label from the steady state`,
    );
  }
  if (report.launcher) notes.push(`launcher '${report.launcher.name}' cost ${ms(report.launcher.wallMs)}`);
  if (report.turnTaking) {
    const why = report.turnTaking.cause === 'gil' ? 'GIL' : 'a lock';
    notes.push(`${report.turnTaking.threads} threads took turns on one CPU (${why})`);
  }
  if (report.alreadyParallel) {
    notes.push(
      `already parallel: ${report.alreadyParallel.cpus.toFixed(1)} CPUs (${report.alreadyParallel.by})`,
    );
  }
  if (report.runtime && report.runtime.name !== 'other') notes.push(`runtime ${report.runtime.name}`);
  if (notes.length > 0) lines.push(`  ${notes.join(' · ')}`);
  lines.push('');
  lines.push('  evidence');
  for (const e of report.evidence) lines.push(`    · ${e}`);
  const cores = report.capacity.cores;
  lines.push(
    '',
    `  estimated speedup of many copies on this machine (${cores} CPU${cores === 1 ? '' : 's'} free${report.runtime?.gil ? ", in Python's models" : ''})`,
  );
  const modelNotes = MODEL_NOTES[report.runtime?.gil ? 'python' : 'node'];
  for (const model of ['async', 'threads', 'processes'] as const) {
    const s = report.speedup[model];
    const method = s.method === 'karp-flatt' ? 'Karp–Flatt' : 'Amdahl';
    lines.push(
      `    ${model.padEnd(10)} ×${s.speedup.toFixed(1).padEnd(6)} ${String(s.workers).padStart(3)} at once, serial fraction ${s.serialFraction.toFixed(2)} (${method}), limited by ${s.limitedBy}; ${paint(color, '90', modelNotes[model])}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
