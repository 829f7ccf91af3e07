// The timeline chart of a report as an SVG string: CPU by kind of thread, waiting for a CPU and
// lock hand-over, per sampling window, over bands for the phases. No Node.js imports and no
// scripts: the CLI's HTML report and the docs embed the same picture.
import type { PhaseName, ThreadKind, TimelineWindow, WorkloadReport } from './types.js';

export interface ChartOptions {
  width?: number;
  height?: number;
}

/** Colours of the chart, by series. */
export const CHART_COLORS: Record<ThreadKind | 'runQueue' | 'lockWait', string> = {
  main: '#2e7d32',
  other: '#66bb6a',
  worker: '#1e88e5',
  'thread-pool': '#8e24aa',
  'runtime-helper': '#9e9e9e',
  inspector: '#bdbdbd',
  runQueue: '#f9a825',
  lockWait: '#ef6c00',
};

export const SERIES_LABEL: Record<ThreadKind | 'runQueue' | 'lockWait', string> = {
  main: 'on CPU: main thread',
  other: 'on CPU: other threads',
  worker: 'on CPU: worker threads',
  'thread-pool': "on CPU: libuv's thread pool",
  'runtime-helper': 'on CPU: runtime helpers (V8 compiler, GC)',
  inspector: 'on CPU: inspector',
  runQueue: 'waiting for a CPU',
  lockWait: 'taking turns on a lock (GIL)',
};

const KIND_ORDER: ThreadKind[] = ['main', 'other', 'worker', 'thread-pool', 'runtime-helper', 'inspector'];
const PHASE_FILL: Record<PhaseName, string> = {
  'start-up': '#e3f2fd',
  steady: '#ffffff',
  shutdown: '#fce4ec',
};

const escapeXml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const fmt = (x: number) => (Math.round(x * 10) / 10).toString();

/** The series present in a timeline, in drawing order. */
export function chartSeries(windows: readonly TimelineWindow[]): (ThreadKind | 'runQueue' | 'lockWait')[] {
  const out: (ThreadKind | 'runQueue' | 'lockWait')[] = [];
  for (const k of KIND_ORDER) if (windows.some((w) => (w.cpuByKind[k] ?? 0) > 0)) out.push(k);
  if (windows.some((w) => w.runQueueMs > 0)) out.push('runQueue');
  if (windows.some((w) => w.lockWaitMs > 0)) out.push('lockWait');
  return out;
}

/**
 * The timeline of `report` as a self-contained SVG (an empty string when the report has no
 * timeline: functions). The y axis is in CPUs: a window's CPU time ÷ its wall time.
 */
export function timelineSvg(
  report: Pick<WorkloadReport, 'timeline' | 'phases'>,
  options: ChartOptions = {},
): string {
  const windows = report.timeline ?? [];
  if (windows.length === 0) return '';
  const width = options.width ?? 720;
  const height = options.height ?? 220;
  const left = 40;
  const bottom = 28;
  const top = 18;
  const plotW = width - left - 8;
  const plotH = height - top - bottom;
  const start = windows[0]!.startMs;
  const end = windows.reduce((a, w) => Math.max(a, w.startMs + w.wallMs), start);
  const span = Math.max(end - start, 1e-9);
  const lanes = (w: TimelineWindow) => (w.cpuMs + w.runQueueMs + w.lockWaitMs) / Math.max(w.wallMs, 1e-9);
  const maxCpus = Math.max(1, Math.ceil(Math.max(...windows.map(lanes))));
  const x = (ms: number) => left + ((ms - start) / span) * plotW;
  const y = (cpus: number) => top + plotH - (cpus / maxCpus) * plotH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="timeline: CPUs busy over time, by kind of thread" font-family="system-ui, sans-serif" font-size="11">`,
  );
  for (const p of report.phases ?? []) {
    const x0 = x(p.startMs);
    const x1 = x(p.startMs + p.wallMs);
    parts.push(
      `<rect class="phase phase-${p.name}" x="${fmt(x0)}" y="${top}" width="${fmt(Math.max(0, x1 - x0))}" height="${plotH}" fill="${PHASE_FILL[p.name]}"/>`,
      `<text x="${fmt(x0 + 3)}" y="${top - 5}" fill="#555">${escapeXml(p.name)}</text>`,
    );
  }
  for (let c = 0; c <= maxCpus; c++) {
    parts.push(
      `<line x1="${left}" x2="${left + plotW}" y1="${fmt(y(c))}" y2="${fmt(y(c))}" stroke="#ddd"/>`,
      `<text x="${left - 6}" y="${fmt(y(c) + 4)}" text-anchor="end" fill="#555">${c}</text>`,
    );
  }
  const series = chartSeries(windows);
  for (const w of windows) {
    const x0 = x(w.startMs);
    const bw = Math.max(0.5, x(w.startMs + w.wallMs) - x0);
    let level = 0;
    for (const s of series) {
      const ms = s === 'runQueue' ? w.runQueueMs : s === 'lockWait' ? w.lockWaitMs : (w.cpuByKind[s] ?? 0);
      if (!(ms > 0)) continue;
      const cpus = ms / Math.max(w.wallMs, 1e-9);
      parts.push(
        `<rect class="series-${s}" x="${fmt(x0)}" y="${fmt(y(level + cpus))}" width="${fmt(bw)}" height="${fmt(y(level) - y(level + cpus))}" fill="${CHART_COLORS[s]}"/>`,
      );
      level += cpus;
    }
  }
  parts.push(
    `<line x1="${left}" x2="${left + plotW}" y1="${top + plotH}" y2="${top + plotH}" stroke="#333"/>`,
    `<text x="${left}" y="${height - 8}" fill="#555">0</text>`,
    `<text x="${left + plotW}" y="${height - 8}" text-anchor="end" fill="#555">${escapeXml(formatSpan(span))}</text>`,
    `<text x="12" y="${top + plotH / 2}" transform="rotate(-90 12 ${top + plotH / 2})" text-anchor="middle" fill="#555">CPUs</text>`,
    '</svg>',
  );
  return parts.join('');
}

/** The legend of the series of a timeline, as an HTML list (no scripts, inline styles). */
export function chartLegendHtml(windows: readonly TimelineWindow[]): string {
  return `<ul class="legend">${chartSeries(windows)
    .map(
      (s) =>
        `<li><span style="display:inline-block;width:10px;height:10px;margin-right:4px;background:${CHART_COLORS[s]}"></span>${escapeXml(SERIES_LABEL[s])}</li>`,
    )
    .join('')}</ul>`;
}

function formatSpan(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

export { THREAD_KIND_LABEL } from './thread-kinds.js';
export { escapeXml };
