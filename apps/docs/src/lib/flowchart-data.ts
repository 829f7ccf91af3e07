import type { Flowchart } from '@forkroad/decide';
import raw from '@site/src/generated/flowchart.json';

export interface GeneratedFlowchart {
  /** `toMermaid(flowchart)` from `@forkroad/decide`, computed by scripts/prepare.mjs. */
  mermaid: string;
  /** The flowchart data itself, as `@forkroad/decide` exported it at build time. */
  flowchart: Flowchart;
}

export const generated = raw as unknown as GeneratedFlowchart;
