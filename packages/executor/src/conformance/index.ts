/**
 * The conformance suite: every backend runs it from its own tests.
 *
 *   import { describeConformance } from '@forkroad/executor/conformance';
 *   describeConformance({ name: 'threads', createExecutor, faults: { crash: true, stuckLoop: true } });
 *
 * Property tests (fast-check, properties.ts) run random programs of submit / map / abort /
 * timeout / failing tasks / shutdown against a model of what each task may end as (model.ts);
 * example tests (examples/) check what a user sees. Each test is named after the README guarantee
 * it checks. Faults only some backends survive are switched on per backend.
 */
import { describe } from 'vitest';
import { describeAsCompletedExamples } from './examples/as-completed.js';
import { describeBadInputExamples } from './examples/bad-input.js';
import { describeContextExamples } from './examples/context.js';
import { describeErrorExamples } from './examples/errors.js';
import { describeMapExamples } from './examples/map.js';
import { describeShutdownExamples } from './examples/shutdown.js';
import { describeTimeoutExamples } from './examples/timeouts.js';
import { maxOverlap, rejection, sleep, within } from './helpers.js';
import { describeProperties } from './properties.js';
import {
  type ConformanceSubject,
  conformanceTasksUrl,
  type Executed,
  type Make,
  testTimeout,
} from './subject.js';

export {
  brokenModuleUrl,
  type ConformanceSubject,
  type ConformanceTasks,
  conformanceTasksUrl,
  slowModuleUrl,
} from './subject.js';
/** Waiting helpers the suite uses, for a backend's own tests beside it. */
export { maxOverlap, rejection, sleep, within };

export function describeConformance(subject: ConformanceSubject): void {
  const make: Make = (options) => subject.createExecutor(conformanceTasksUrl, options) as Executed;
  describe(`${subject.name}: executor conformance`, { timeout: testTimeout }, () => {
    describeProperties(make, subject);
    describeMapExamples(make, subject);
    describeContextExamples(make, subject);
    describeTimeoutExamples(make, subject);
    describeErrorExamples(make, subject);
    describeBadInputExamples(make, subject);
    describeShutdownExamples(make, subject);
    describeAsCompletedExamples(make, subject);
  });
}
