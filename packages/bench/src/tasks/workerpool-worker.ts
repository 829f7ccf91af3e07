/** workerpool's worker script: the same tasks the other pools load from noop.js and cpu.js. */
import workerpool from 'workerpool';
import { isPrime } from './cpu.js';
import { noop } from './noop.js';

workerpool.worker({ noop, isPrime });
