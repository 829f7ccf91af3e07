import { describeConformance } from '../dist/conformance/index.js';
import { createExecutor } from './minimal-backend.js';

describeConformance({ name: "the README's minimal backend", createExecutor, numRuns: 30 });
