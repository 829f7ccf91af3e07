import { describeConformance } from '@forkroad/executor/conformance';
import { createExecutor } from '../dist/index.js';

describeConformance({
  name: '@forkroad/processes',
  createExecutor,
  faults: {
    crash: true,
    stuckLoop: true,
    outOfMemory: { execArgv: ['--max-old-space-size=32'] },
    serialization: true,
  },
  numRuns: 8,
});
