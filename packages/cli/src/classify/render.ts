import type { ConcurrencyModel, TimeBreakdown, WorkloadReport } from '@forkroad/classify';

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
  const lanes = time.lanes > 1.05 ? ` (over ${time.lanes.toFixed(1)} CPUs: CPU time exceeds wall time)` : '';
  return [
    bar,
    `${paint(color, '32', BAR.cpu)} on CPU ${pct(time.onCpuMs)}   ${paint(color, '33', BAR.queue)} waiting for a CPU ${pct(time.runQueueMs)}   ${paint(color, '90', BAR.blocked)} blocked ${pct(time.blockedMs)}${lanes}`,
  ];
}

const ms = (v: number) =>
  v < 10 ? `${v.toFixed(1)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;

const MODEL_NOTES: Record<ConcurrencyModel, string> = {
  async: 'one event loop',
  threads: 'Node worker_threads (Python threads: one at a time, GIL)',
  processes: 'child processes',
};

/** The text report printed by `forkroad classify`. */
export function renderReport(report: WorkloadReport, options: RenderOptions = {}): string {
  const color = options.color === true;
  const lines: string[] = [];
  const cmd = report.command;
  if (cmd) lines.push(`forkroad classify · ${cmd.argv.join(' ')}`, '');
  for (const line of renderBar(report.time, options)) lines.push(`  ${line}`);
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
  if (report.runs > 1) facts.push(`mean of ${report.runs} runs`);
  lines.push(`  ${facts.join(' · ')}`, '');
  lines.push('  evidence');
  for (const e of report.evidence) lines.push(`    · ${e}`);
  const cores = report.capacity.cores;
  lines.push(
    '',
    `  estimated speedup of many copies on this machine (${cores} CPU${cores === 1 ? '' : 's'} free)`,
  );
  for (const model of ['async', 'threads', 'processes'] as const) {
    const s = report.speedup[model];
    const method = s.method === 'karp-flatt' ? 'Karp–Flatt' : 'Amdahl';
    lines.push(
      `    ${model.padEnd(10)} ×${s.speedup.toFixed(1).padEnd(6)} ${String(s.workers).padStart(3)} at once, serial fraction ${s.serialFraction.toFixed(2)} (${method}), limited by ${s.limitedBy}; ${paint(color, '90', MODEL_NOTES[model])}`,
    );
  }
  lines.push('');
  return lines.join('\n');
}
