/**
 * `@forkroad/bench/report`: what readers of the results JSON need, without Node built-ins (the docs
 * site runs it in the browser): number formatting and the targets, met or not.
 */
export { decimals, formatBytes, formatNumber } from './numbers.js';
export { evaluateTargets, formatTargets, type Target } from './targets.js';
