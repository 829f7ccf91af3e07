import type { Flowchart } from '@forkroad/decide';
import raw from '@site/src/generated/flowchart.json';

/** A node placed by scripts/flowchart-layout.mjs: centre, size and label lines. */
export interface LaidOutNode {
  id: string;
  kind: 'question' | 'outcome';
  lines: string[];
  x: number;
  y: number;
  width: number;
  height: number;
}

/** An edge placed by scripts/flowchart-layout.mjs: its polyline and its label's centre and size. */
export interface LaidOutEdge {
  from: string;
  to: string;
  answer: string;
  lines: string[];
  points: [number, number][];
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FlowchartLayout {
  width: number;
  height: number;
  fontSize: number;
  lineHeight: number;
  nodes: LaidOutNode[];
  edges: LaidOutEdge[];
}

export interface GeneratedFlowchart {
  /** The flowchart data itself, as `@forkroad/decide` exported it at build time. */
  flowchart: Flowchart;
  /** Its layout, computed at build time by scripts/prepare.mjs. */
  layout: FlowchartLayout;
}

export const generated = raw as unknown as GeneratedFlowchart;
