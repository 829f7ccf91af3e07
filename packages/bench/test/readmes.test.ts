import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readmeFiles, regenerate, staleReadmes } from '../scripts/readmes.mjs';

const latest = JSON.parse(readFileSync(new URL('../results/latest.json', import.meta.url), 'utf8'));

describe('benchmark numbers in the READMEs', () => {
  it('match results/latest.json in every README (else: pnpm --filter @forkroad/bench readmes)', () => {
    expect(staleReadmes()).toEqual([]);
  });

  it('the packages that have benchmarks show them from the results file', () => {
    const marked = readmeFiles().filter((f) => readFileSync(f, 'utf8').includes('<!-- bench:'));
    for (const name of ['async', 'threads', 'processes', 'bench'])
      expect(marked.some((f) => f.endsWith(`packages/${name}/README.md`))).toBe(true);
  });

  it('a table edited by hand, or a number that changed in the results, is found', () => {
    const text = '<!-- bench:table pools-first-batch-threads -->\n\n<!-- /bench -->\n';
    const fresh = regenerate(text, latest, 'x/README.md');
    expect(fresh).toMatch(/\| @forkroad\/threads \| Node\.js \|/);
    expect(regenerate(fresh, latest, 'x/README.md')).toBe(fresh);
    expect(regenerate(fresh.replace(/\d\.\d\d×/, '9.99×'), latest, 'x/README.md')).toBe(fresh);
    const changed = structuredClone(latest);
    for (const s of changed.suites) for (const e of s.experiments) for (const r of e.rows) r.median *= 2;
    expect(regenerate(fresh, changed, 'x/README.md')).not.toBe(fresh);
  });

  it('the backends show their targets on Node 24 too, from results/node24.json', () => {
    for (const name of ['async', 'threads', 'processes'])
      expect(readFileSync(new URL(`../../${name}/README.md`, import.meta.url), 'utf8')).toContain(
        `<!-- bench:targets@node24 ${name} -->`,
      );
  });

  it('bench:<kind>@<name> reads that results file, labelled with its Node and run', () => {
    const other = structuredClone(latest);
    other.machine.node = 'v24.0.0';
    other.mode = 'quick';
    for (const s of other.suites) for (const e of s.experiments) for (const r of e.rows) r.median *= 3;
    const named = (name: string) => (name === 'other' ? other : latest);
    const text =
      '<!-- bench:targets threads -->\n<!-- /bench -->\n<!-- bench:targets@other threads -->\n<!-- /bench -->\n';
    const [main, fromOther] = regenerate(text, latest, 'x/README.md', named).split('<!-- /bench -->');
    expect(main).not.toContain('On Node.js');
    expect(fromOther).toContain('On Node.js v24.0.0 (`results/other.json`, a `quick` run):');
    expect(fromOther).toMatch(/first-batch CPU speedup/);
    expect(() => regenerate('<!-- bench:source@nope -->\n<!-- /bench -->', latest, 'x/README.md')).toThrow(
      /x\/README\.md: no results\/nope\.json/,
    );
  });

  it('a marker naming an experiment the results do not have is an error', () => {
    expect(() => regenerate('<!-- bench:table nope -->\n<!-- /bench -->', latest, 'x/README.md')).toThrow(
      /no experiment nope/,
    );
  });
});
