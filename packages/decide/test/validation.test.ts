import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { type Answers, applyAnswer, decide } from '../src/index.js';

const bad = (answers: unknown) => () => decide(answers as Answers);

describe('invalid answers throw a TypeError naming the allowed values', () => {
  it.each([
    [{ runtime: 'ruby', workload: 'io' }, /runtime must be one of 'node', 'python', got 'ruby'/],
    [{ workload: 'io' }, /runtime must be one of 'node', 'python', got undefined/],
    [
      { runtime: 'node', workload: 'disk' },
      /workload must be one of 'cpu', 'io', 'mixed', 'unknown'.*got 'disk'/,
    ],
    [
      { runtime: 'node', workload: 'io', tasksInFlight: -1 },
      /tasksInFlight must be a positive integer, 'one', 'few' or 'many'.*got -1/,
    ],
    [{ runtime: 'node', workload: 'io', tasksInFlight: 0 }, /positive integer/],
    [{ runtime: 'node', workload: 'io', tasksInFlight: 2.5 }, /positive integer/],
    [{ runtime: 'node', workload: 'io', tasksInFlight: Number.POSITIVE_INFINITY }, /positive integer/],
    [{ runtime: 'node', workload: 'io', tasksInFlight: 'lots' }, /got 'lots'/],
    [
      { runtime: 'node', workload: 'io', blockingLibraries: 'yes' },
      /blockingLibraries must be true, false or undefined/,
    ],
    [{ runtime: 'node', workload: 'io', fastEnough: 1 }, /fastEnough must be true, false/],
    [{ runtime: 'node', workload: 'cpu', isolation: null }, /isolation must be true, false/],
    [
      { runtime: 'node', workload: 'io', blocking: true },
      /unknown answer 'blocking': the answers are 'runtime'/,
    ],
    [
      { runtime: 'node', workload: { kind: 'slow', confidence: 1, cpuShare: 1 } },
      /kind must be one of 'cpu-bound', 'io-bound', 'mixed'/,
    ],
    [
      { runtime: 'node', workload: { kind: 'mixed', confidence: 2, cpuShare: 1 } },
      /confidence must be a number from 0 to 1/,
    ],
    [{ runtime: 'node', workload: { kind: 'mixed', confidence: 1, cpuShare: -1 } }, /cpuShare must be/],
    [
      { runtime: 'node', workload: { kind: 'mixed', confidence: 1, cpuShare: 1, speedup: 3 } },
      /speedup must be an object/,
    ],
    [null, /answers must be an object/],
  ])('%j', (answers, message) => {
    expect(bad(answers)).toThrow(TypeError);
    expect(bad(answers)).toThrow(message);
  });

  it('applyAnswer rejects unknown questions and answers', () => {
    expect(() => applyAnswer({}, 'colour', 'red')).toThrow(
      /unknown question 'colour': the questions are 'fast-enough'/,
    );
    expect(() => applyAnswer({}, 'io-tasks', 'lots')).toThrow(
      /takes one of 'one', 'few', 'many', 'unanswered', got 'lots'/,
    );
    expect(applyAnswer({ isolation: true }, 'cpu-isolation', 'unanswered')).toEqual({});
    expect(applyAnswer({}, 'io-few-libraries', 'blocking')).toEqual({ blockingLibraries: true });
  });
});

const NODE_GLOBALS = new Set([
  'process',
  'Buffer',
  'require',
  '__dirname',
  '__filename',
  'global',
  'setImmediate',
]);

describe('browser safety', () => {
  const dir = new URL('../src/', import.meta.url);
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts'));

  it.each(files)('%s imports only relative modules at run time, and uses no Node.js globals', (file) => {
    const text = readFileSync(new URL(file, dir), 'utf8');
    // Types may come from @forkroad/classify's Node-free types module; the emitted code imports
    // nothing but this package's own files (@forkroad/classify is a types-only dependency).
    for (const { fileName } of ts.preProcessFile(text, true, true).importedFiles) {
      expect(fileName).toMatch(/^(\.\/[\w-]+\.js|@forkroad\/classify\/types)$/);
    }
    const emitted = ts.transpileModule(text, {
      compilerOptions: { module: ts.ModuleKind.ESNext, verbatimModuleSyntax: true },
    }).outputText;
    for (const { fileName } of ts.preProcessFile(emitted, true, true).importedFiles) {
      expect(fileName).toMatch(/^\.\/[\w-]+\.js$/);
    }
    // No Node.js globals either (identifiers only: the snippets' text may name anything).
    const globals: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isIdentifier(node) && NODE_GLOBALS.has(node.text)) globals.push(node.text);
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true));
    expect(globals).toEqual([]);
  });
});
