/**
 * Every suite, in the order they run. To add one: write `src/suites/<id>.ts` exporting a
 * `SuiteDefinition` (see context.ts and the README's "Adding a suite"), and add it to this list.
 */
import type { SuiteDefinition } from '../context.js';
import { cpuSuite } from './cpu.js';
import { ioSuite } from './io.js';
import { memorySuite } from './memory.js';
import { overheadSuite } from './overhead.js';
import { payloadSuite } from './payload.js';
import { poolsSuite } from './pools.js';
import { startupSuite } from './startup.js';

export const SUITES: readonly SuiteDefinition[] = [
  ioSuite,
  cpuSuite,
  overheadSuite,
  poolsSuite,
  memorySuite,
  startupSuite,
  payloadSuite,
];
