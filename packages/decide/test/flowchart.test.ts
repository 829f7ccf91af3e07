import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decide,
  type Flowchart,
  flowchart,
  getNode,
  MANY_TASKS_IN_FLIGHT,
  nextNode,
  toMermaid,
} from '../src/index.js';

const questions = flowchart.nodes.filter((n) => n.kind === 'question');
const outcomes = flowchart.nodes.filter((n) => n.kind === 'outcome');

describe('flowchart', () => {
  it('has unique ids, and edges between existing nodes', () => {
    const ids = flowchart.nodes.map((n) => n.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const edge of flowchart.edges) {
      expect(getNode(flowchart, edge.from)?.kind).toBe('question');
      expect(edge.to).not.toBe(flowchart.start);
      expect(getNode(flowchart, edge.to)).toBeDefined();
    }
    expect(getNode(flowchart, flowchart.start)?.kind).toBe('question');
  });

  it('gives every answer of every question exactly one edge, and no edge for anything else', () => {
    for (const q of questions) {
      const out = flowchart.edges.filter((e) => e.from === q.id);
      expect(out.map((e) => e.answer).sort()).toEqual(q.answers.map((a) => a.value).sort());
    }
    for (const o of outcomes) expect(flowchart.edges.filter((e) => (e.from as string) === o.id)).toEqual([]);
  });

  it('has no unreachable nodes', () => {
    const seen = new Set<string>([flowchart.start]);
    const queue = [flowchart.start as string];
    while (queue.length > 0) {
      const id = queue.shift()!;
      for (const e of flowchart.edges.filter((edge) => edge.from === id)) {
        if (!seen.has(e.to)) {
          seen.add(e.to);
          queue.push(e.to);
        }
      }
    }
    expect([...seen].sort()).toEqual(flowchart.nodes.map((n) => n.id).sort());
  });

  it('property: every walk, whatever the answers, ends at an outcome (no dead ends, no cycles)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.nat(), { minLength: flowchart.nodes.length, maxLength: flowchart.nodes.length }),
        (picks) => {
          let node = getNode(flowchart, flowchart.start);
          let steps = 0;
          while (node?.kind === 'question') {
            const answer = node.answers[picks[steps]! % node.answers.length]!;
            node = nextNode(flowchart, node.id, answer.value);
            steps++;
            expect(steps).toBeLessThan(flowchart.nodes.length);
          }
          expect(node?.kind).toBe('outcome');
        },
      ),
    );
  });

  it('covers the guide: fast enough, the workload, tasks in flight, libraries, isolation', () => {
    expect(questions.map((q) => q.id)).toEqual([
      'fast-enough',
      'beyond-one-machine',
      'workload',
      'io-tasks',
      'io-few-libraries',
      'io-many-libraries',
      'cpu-isolation',
    ]);
    expect(nextNode(flowchart, 'fast-enough', 'yes')?.id).toBe('none');
    expect(nextNode(flowchart, 'beyond-one-machine', 'yes')?.id).toBe('distributed');
    expect(nextNode(flowchart, 'io-tasks', 'one')?.id).toBe('none');
    expect(nextNode(flowchart, 'workload', 'unknown')?.id).toBe('measure');
    expect(nextNode(flowchart, 'workload', 'mixed')?.id).toBe('hybrid');
    expect(nextNode(flowchart, 'workload', 'nonsense')).toBeUndefined();
  });

  it("labels the tasks-in-flight answers with the engine's threshold, without overlap", () => {
    const tasks = questions.find((q) => q.id === 'io-tasks')!;
    expect(tasks.answers.map((a) => a.label)).toEqual([
      'One at a time',
      `2 to ${(MANY_TASKS_IN_FLIGHT - 1).toLocaleString('en-US')}`,
      `${MANY_TASKS_IN_FLIGHT.toLocaleString('en-US')} or more`,
    ]);
    for (const [tasksInFlight, answer] of [
      [1, 'one'],
      [2, 'few'],
      [MANY_TASKS_IN_FLIGHT - 1, 'few'],
      [MANY_TASKS_IN_FLIGHT, 'many'],
    ] as const) {
      const step = decide({ runtime: 'node', workload: 'io', tasksInFlight }).path.find(
        (s) => s.question === 'io-tasks',
      );
      expect(step?.answer).toBe(answer);
    }
  });

  it('models differ by runtime only where the GIL makes them differ', () => {
    for (const o of outcomes) {
      if (o.id === 'cpu-parallel') expect(o.model).toEqual({ node: 'threads', python: 'processes' });
      else expect(o.model.node).toBe(o.model.python);
    }
  });

  it('is frozen, so no consumer can change the shared graph', () => {
    expect(Object.isFrozen(flowchart)).toBe(true);
    expect(Object.isFrozen(flowchart.nodes[0])).toBe(true);
    expect(() => (flowchart.edges as unknown[]).push({})).toThrow(TypeError);
  });
});

describe('toMermaid', () => {
  it('draws every node and edge of the flowchart', () => {
    const text = toMermaid(flowchart);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('flowchart TD');
    expect(lines).toHaveLength(1 + flowchart.nodes.length + flowchart.edges.length);
    expect(text).toContain('n_fast_enough{"Is it already fast enough?"}');
    expect(text).toContain(`n_workload -->|"I don't know"| n_measure`);
  });

  it('sanitizes ids (unique) and escapes labels', () => {
    const chart: Flowchart = {
      start: 'fast-enough',
      nodes: [
        {
          kind: 'question',
          id: 'fast-enough',
          text: 'Say "hi" <b>#1</b> | `x` & y',
          help: '',
          field: 'fastEnough',
          answers: [
            { value: 'yes', label: 'a|b' },
            { value: 'no', label: 'no' },
          ],
        },
        { kind: 'outcome', id: 'none', label: 'end "here"', model: { node: 'none', python: 'none' } },
        { kind: 'outcome', id: 'fast_enough' as 'none', label: 'x', model: { node: 'none', python: 'none' } },
      ],
      edges: [
        { from: 'fast-enough', to: 'none', answer: 'yes' },
        { from: 'fast-enough', to: 'fast_enough' as 'none', answer: 'no' },
      ],
    };
    const text = toMermaid(chart);
    expect(text).toContain('n_fast_enough{"Say #34;hi#34; #60;b#62;#35;1#60;/b#62; #124; #96;x#96; #38; y"}');
    expect(text).toContain('n_fast_enough_2(["x"])');
    expect(text).toContain('n_fast_enough -->|"a#124;b"| n_none');
    expect(text).toContain('n_fast_enough -->|"no"| n_fast_enough_2');
    expect(text).toContain('n_none(["end #34;here#34;"])');
  });

  it('property: node ids are safe and labels never contain a raw quote, pipe or angle bracket', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (id, label) => {
        const chart: Flowchart = {
          start: id as 'workload',
          nodes: [
            {
              kind: 'question',
              id: id as 'workload',
              text: label,
              help: '',
              field: 'workload',
              answers: [{ value: 'x', label }],
            },
            { kind: 'outcome', id: 'none', label, model: { node: 'none', python: 'none' } },
          ],
          edges: [{ from: id as 'workload', to: 'none', answer: 'x' }],
        };
        const lines = toMermaid(chart).trimEnd().split('\n');
        expect(lines).toHaveLength(4);
        for (const line of lines.slice(1)) {
          // Only the delimiters themselves: ids, then "..." labels free of quotes, pipes and brackets.
          expect(line).toMatch(/^ {2}n_\w*(\{"[^"|<>`]*"\}|\(\["[^"|<>`]*"\]\)| -->\|"[^"|<>`]*"\| n_\w*)$/);
        }
      }),
    );
  });
});
