import { describeConformance } from '@forkroad/executor/conformance';
import { createExecutor } from '../dist/index.js';

describeConformance({
  name: '@forkroad/threads',
  createExecutor,
  faults: {
    crash: true,
    stuckLoop: true,
    outOfMemory: { resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 } },
    serialization: true,
  },
  numRuns: 12,
});
