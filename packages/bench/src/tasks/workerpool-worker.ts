/** workerpool's worker script for the overhead suite: the same no-op task. */
import workerpool from 'workerpool';
import { noop } from './noop.js';

workerpool.worker({ noop });
