import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Answers,
  applyAnswer,
  decide,
  type FlowNode,
  flowchart,
  getNode,
  MANY_TASKS_IN_FLIGHT,
  nextNode,
  type TasksInFlight,
  UNANSWERED,
  type WorkloadReportLike,
} from '../src/index.js';

const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const reportArb: fc.Arbitrary<WorkloadReportLike> = fc.record(
  {
    kind: fc.constantFrom('cpu-bound', 'io-bound', 'mixed'),
    confidence: fc.double({ min: 0, max: 1, noNaN: true }),
    cpuShare: fc.double({ min: 0, max: 64, noNaN: true }),
    speedup: fc.record(
      {
        async: fc.double({ min: 0.5, max: 100, noNaN: true }),
        threads: fc.double({ min: 0.5, max: 100, noNaN: true }),
        processes: fc.double({ min: 0.5, max: 100, noNaN: true }),
      },
      { requiredKeys: [] },
    ),
    evidence: fc.array(fc.string(), { maxLength: 5 }),
  },
  { requiredKeys: ['kind', 'confidence', 'cpuShare'] },
);

const tasksArb = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }),
  fc.constantFrom('one' as const, 'few' as const, 'many' as const),
);

/** Any valid answers, with every optional field sometimes left out. */
const answersArb: fc.Arbitrary<Answers> = fc
  .record({
    runtime: fc.constantFrom('node' as const, 'python' as const),
    workload: fc.oneof(
      fc.constantFrom('cpu' as const, 'io' as const, 'mixed' as const, 'unknown' as const),
      reportArb,
    ),
    tasksInFlight: optional(tasksArb),
    blockingLibraries: optional(fc.boolean()),
    fastEnough: optional(fc.boolean()),
    isolation: optional(fc.boolean()),
    beyondOneMachine: optional(fc.boolean()),
    server: optional(fc.boolean()),
  })
  .map((a) => Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) as unknown as Answers);

describe('decide: properties', () => {
  it('every input reaches exactly one outcome, along a path of the graph that ends there', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const decision = decide(answers);
        // Walk the graph independently, following the path's answers.
        let node: FlowNode | undefined = getNode(flowchart, flowchart.start);
        for (const step of decision.path) {
          expect(node?.kind).toBe('question');
          if (node?.kind !== 'question') return;
          expect(step.question).toBe(node.id);
          expect(step.text).toBe(node.text);
          const values = node.answers.map((a) => a.value);
          const taken = step.answer === UNANSWERED ? step.assumed : step.answer;
          expect(values).toContain(taken);
          if (step.answer === UNANSWERED) expect(values).toContain(step.assumed);
          else expect(step.assumed).toBeUndefined();
          node = nextNode(flowchart, node.id, taken!);
        }
        expect(node?.kind).toBe('outcome');
        if (node?.kind !== 'outcome') return;
        expect(node.id).toBe(decision.outcome);
        expect(decision.model).toBe(node.model[answers.runtime]);
        // The same input always gives the same decision.
        expect(decide(answers)).toEqual(decision);
      }),
    );
  });

  it('never silently defaults: a question is unanswered exactly when its field is missing', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const decision = decide(answers);
        for (const step of decision.path) {
          const node = getNode(flowchart, step.question);
          if (node?.kind !== 'question') throw new Error('not a question');
          const given = (answers as unknown as Record<string, unknown>)[node.field] !== undefined;
          expect(step.answer === UNANSWERED).toBe(!given);
          if (!given && node.field !== 'workload') {
            expect(decision.caveats.some((c) => c.startsWith('You did not say'))).toBe(true);
          }
          expect(step.label).toContain(step.answer === UNANSWERED ? 'unanswered (assumed:' : '');
        }
      }),
    );
  });

  it('more tasks in flight never moves an answer from async to threads', () => {
    fc.assert(
      fc.property(answersArb, tasksArb, tasksArb, (answers, a, b) => {
        const rank = (t: TasksInFlight) =>
          t === 'one' ? 1 : t === 'few' ? 2 : t === 'many' ? MANY_TASKS_IN_FLIGHT : t;
        const [fewer, more] = rank(a) <= rank(b) ? [a, b] : [b, a];
        const before = decide({ ...answers, tasksInFlight: fewer });
        const after = decide({ ...answers, tasksInFlight: more });
        if (before.model === 'async') expect(after.model).not.toBe('threads');
      }),
    );
  });

  it('walking the flowchart with applyAnswer, as an advisor does, agrees with decide', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('node' as const, 'python' as const),
        fc.array(fc.nat(), { minLength: 8, maxLength: 8 }),
        (runtime, picks) => {
          let answers: Partial<Answers> = { runtime };
          let node = getNode(flowchart, flowchart.start);
          let i = 0;
          while (node?.kind === 'question') {
            const value = node.answers[picks[i++]! % node.answers.length]!.value;
            answers = applyAnswer(answers, node.id, value);
            node = nextNode(flowchart, node.id, value);
          }
          const decision = decide(answers as Answers);
          expect(decision.outcome).toBe(node?.id);
          expect(decision.path.every((s) => s.answer !== UNANSWERED)).toBe(true);
        },
      ),
    );
  });

  it('does not change its input', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const copy = structuredClone(answers);
        decide(answers);
        expect(answers).toEqual(copy);
      }),
    );
  });

  it('always returns a tool with a snippet, a rationale and deduplicated caveats', () => {
    fc.assert(
      fc.property(answersArb, (answers) => {
        const d = decide(answers);
        expect(d.tool.name.length).toBeGreaterThan(0);
        expect(d.tool.snippet.length).toBeGreaterThan(0);
        // A command line where there is no code to write (or a Python server's gunicorn line).
        const shell =
          d.outcome === 'none' ||
          d.outcome === 'measure' ||
          (answers.server === true &&
            answers.runtime === 'python' &&
            ['processes', 'hybrid'].includes(d.model));
        expect(d.tool.language).toBe(shell ? 'sh' : answers.runtime === 'node' ? 'js' : 'python');
        expect(d.rationale.length).toBeGreaterThan(0);
        expect(new Set(d.caveats).size).toBe(d.caveats.length);
        expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      }),
    );
  });
});
