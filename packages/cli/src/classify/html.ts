// `forkroad classify --report file.html`: one self-contained page (inline styles and SVG, no
// scripts to run, nothing fetched) with the timeline, the label, the evidence and the estimates.

import type { ConcurrencyModel, WorkloadReport } from '@forkroad/classify';
import { chartLegendHtml, escapeXml, THREAD_KIND_LABEL, timelineSvg } from '@forkroad/classify/chart';

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#222;background:#fafafa}
main{max-width:860px;margin:0 auto;padding:24px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.target{font-family:ui-monospace,monospace;color:#555;word-break:break-all}
.failure{border:2px solid #c62828;background:#ffebee;padding:12px 16px;border-radius:6px}
.failure h2{color:#c62828;margin-top:0}
pre{background:#263238;color:#eceff1;padding:10px;overflow:auto;border-radius:4px;font-size:13px}
.kind{font-weight:700;font-size:20px;padding:2px 10px;border-radius:4px;color:#fff}
.kind-cpu-bound{background:#c62828}.kind-io-bound{background:#00838f}.kind-mixed{background:#6a1b9a}
table{border-collapse:collapse;background:#fff}td,th{border:1px solid #ddd;padding:4px 10px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px}
.chart{background:#fff;border:1px solid #ddd;border-radius:4px;padding:8px;overflow-x:auto}
`;

const ms = (v: number) =>
  v < 10 ? `${v.toFixed(1)} ms` : v < 1000 ? `${Math.round(v)} ms` : `${(v / 1000).toFixed(2)} s`;
const pct = (x: number) => `${Math.round(x * 100)}%`;

function targetOf(report: WorkloadReport): string {
  if (report.command) return report.command.argv.join(' ');
  if (report.process) {
    return `pid ${report.process.pid}: ${report.process.argv.join(' ').replace(/\s+/g, ' ')} (sampled ${ms(report.process.durationMs)}${report.process.exited ? ', exited during sampling' : ''})`;
  }
  return 'a function';
}

const MODEL_NAMES: Record<'node' | 'python', Record<ConcurrencyModel, string>> = {
  node: { async: 'one event loop', threads: 'worker_threads', processes: 'child processes' },
  python: { async: 'asyncio', threads: 'ThreadPoolExecutor (GIL)', processes: 'ProcessPoolExecutor' },
};

function speedupTable(report: WorkloadReport): string {
  const byRuntime = report.speedupByRuntime;
  const runtimes: ('node' | 'python')[] = byRuntime
    ? report.runtime?.gil
      ? ['python', 'node']
      : ['node', 'python']
    : ['node'];
  const rows = runtimes.flatMap((rt) =>
    (['async', 'threads', 'processes'] as const).map((model) => {
      const s = byRuntime ? byRuntime[rt][model] : report.speedup[model];
      return `<tr><td>${rt === 'node' ? 'Node' : 'Python'}</td><td>${escapeXml(MODEL_NAMES[rt][model])}</td><td class="n">×${s.speedup.toFixed(2)}</td><td class="n">${s.workers}</td><td class="n">${s.serialFraction.toFixed(2)}</td><td>${escapeXml(s.limitedBy)}</td></tr>`;
    }),
  );
  return `<table class="speedup"><tr><th>runtime</th><th>model</th><th>speedup</th><th>at once</th><th>serial fraction</th><th>limited by</th></tr>${rows.join('')}</table>`;
}

/** The HTML page of a report. */
export function reportHtml(report: WorkloadReport): string {
  const parts: string[] = [];
  const target = targetOf(report);
  parts.push(
    '<!doctype html><html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>forkroad classify: ${escapeXml(report.kind)} · ${escapeXml(target.slice(0, 80))}</title>`,
    `<style>${STYLE}</style></head><body><main>`,
    `<h1>forkroad classify</h1><p class="target">${escapeXml(target)}</p>`,
  );
  if (report.failure) {
    const f = report.failure;
    parts.push(
      `<section class="failure" id="failure"><h2>Failed run: ${escapeXml(f.message)}</h2>`,
      '<p>A failed run is not a workload: the label below covers only what ran, and its confidence is capped. Fix the failure and measure again.</p>',
      f.stderrTail.trim() === ''
        ? ''
        : `<p>The end of its stderr:</p><pre>${escapeXml(f.stderrTail.trimEnd())}</pre>`,
      '</section>',
    );
  }
  parts.push(
    `<section id="label"><p><span class="kind kind-${report.kind}">${escapeXml(report.kind.toUpperCase())}</span> confidence ${report.confidence.toFixed(2)}</p>`,
    `<p>wall ${ms(report.wallMs)} · CPU ${ms(report.cpuMs)} · CPU ÷ wall ${report.cpuShare.toFixed(2)} · computing ${pct(report.computeShare)} of the time it was not waiting for a CPU · parallelism ${report.parallelism.toFixed(2)}${report.labelFrom === 'steady' ? ' · label from the steady state' : ''}</p></section>`,
  );
  const svg = timelineSvg(report);
  if (svg !== '') {
    parts.push(
      '<section id="timeline"><h2>Timeline</h2>',
      `<div class="chart">${svg}</div>${chartLegendHtml(report.timeline ?? [])}`,
      '<p>Each bar is a sampling window, its height in CPUs: time on CPU by kind of thread, then time runnable but waiting for a CPU, then time waiting for a lock while taking turns. Blocked time (I/O, timers, sleeps) is not drawn. Bands mark the phases.</p></section>',
    );
  }
  if (report.phases && report.phases.length > 0) {
    const rows = report.phases.map(
      (p) =>
        `<tr><td>${escapeXml(p.name)}</td><td class="n">${ms(p.startMs)}</td><td class="n">${ms(p.wallMs)}</td><td class="n">${ms(p.cpuMs)}</td><td class="n">${ms(p.runQueueMs)}</td><td class="n">${pct(p.computeShare)}</td><td>${escapeXml(p.kind)}</td></tr>`,
    );
    parts.push(
      '<section id="phases"><h2>Phases</h2><table><tr><th>phase</th><th>from</th><th>wall</th><th>CPU</th><th>waiting for a CPU</th><th>computing</th><th>kind</th></tr>',
      rows.join(''),
      '</table></section>',
    );
  }
  if (report.threads && report.threads.length > 0) {
    const rows = report.threads.map(
      (t) =>
        `<tr><td>${escapeXml(THREAD_KIND_LABEL[t.kind])}</td><td class="n">${t.threads || ''}</td><td class="n">${ms(t.cpuMs)}</td><td class="n">${ms(t.runQueueMs)}</td><td>${escapeXml(t.names.join(', '))}</td><td>${t.counted ? 'yes' : 'no (serves the program)'}</td></tr>`,
    );
    parts.push(
      '<section id="threads"><h2>Threads</h2><table><tr><th>kind</th><th>threads</th><th>CPU</th><th>waiting for a CPU</th><th>names</th><th>counted in the label</th></tr>',
      rows.join(''),
      '</table></section>',
    );
  }
  if (report.turnTaking) {
    const t = report.turnTaking;
    parts.push(
      `<section id="turn-taking"><h2>Threads taking turns</h2><p>${t.threads} threads took turns on one CPU (${t.cpus.toFixed(2)} CPUs busy at once, ${pct(t.share)} of the steady state): ${t.cause === 'gil' ? "Python's GIL" : 'a lock'}. Processes would run them in parallel.</p></section>`,
    );
  }
  parts.push(
    '<section id="evidence"><h2>Evidence</h2><ul>',
    report.evidence.map((e) => `<li>${escapeXml(e)}</li>`).join(''),
    '</ul></section>',
    `<section id="estimates"><h2>Estimated speedup of many copies on this machine (${report.capacity.cores} CPU${report.capacity.cores === 1 ? '' : 's'} free)</h2>`,
    speedupTable(report),
    '</section>',
    '<details><summary>The report as JSON</summary>',
    `<pre>${escapeXml(JSON.stringify(report, null, 2))}</pre></details>`,
    '</main></body></html>\n',
  );
  return parts.join('');
}
