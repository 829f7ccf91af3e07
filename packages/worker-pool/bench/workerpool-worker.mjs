// workerpool's worker script: the same task functions, registered its way.
import workerpool from 'workerpool';
import { addOne, isPrime } from './tasks.mjs';

workerpool.worker({ addOne, isPrime });
