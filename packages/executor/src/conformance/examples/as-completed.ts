/** Examples of asCompleted. */
import { describe, expect, it } from 'vitest';
import { asCompleted } from '../../as-completed.js';
import type { ConformanceSubject, Make } from '../subject.js';

export function describeAsCompletedExamples(make: Make, _subject: ConformanceSubject): void {
  describe('asCompleted', () => {
    it('asCompleted yields results as they settle', async () => {
      await using pool = make({ concurrency: 3 });
      // Start every worker first, so that start-up times do not reorder the finishes.
      await Promise.all([1, 2, 3].map(() => pool.submit('sleep', [50, 0])));
      const order: string[] = [];
      const tasks = [
        pool.submit('sleep', [500, 'slow']),
        pool.submit('sleep', [1, 'fast']),
        pool.submit('sleep', [250, 'medium']),
      ];
      for await (const r of asCompleted(tasks)) order.push(r as string);
      expect(order).toEqual(['fast', 'medium', 'slow']);
    });
  });
}
