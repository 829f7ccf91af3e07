import { describeConformance } from '@forkroad/executor/conformance';
import { createExecutor } from '../src/index.js';

describeConformance({ name: '@forkroad/async', createExecutor, numRuns: 60 });
