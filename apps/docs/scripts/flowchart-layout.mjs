// Lays out `@forkroad/decide`'s flowchart at build time (dagre), so the site can draw it as an
// SVG in the HTML with no diagram library in the browser. Node sizes come from the wrapped
// label text; the font size and character width are fixed, and the CSS draws with the same.

import dagre from '@dagrejs/dagre';

/** Drawing constants shared with src/components/Flowchart (the SVG's font and padding). */
export const FONT_SIZE = 14;
export const LINE_HEIGHT = 18;
// A generous average advance for a sans-serif at 14 px: boxes are a little wide, never short.
const CHAR_WIDTH = 7.6;
const PADDING_X = 14;
const PADDING_Y = 10;
const NODE_CHARS = 30;
const EDGE_CHARS = 22;

/** Greedy word wrap to at most `width` characters a line (a longer word gets its own line). */
export function wrap(text, width) {
  const lines = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else {
      line = line ? `${line} ${word}` : word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

function box(lines) {
  const longest = Math.max(...lines.map((l) => l.length));
  return {
    width: Math.ceil(longest * CHAR_WIDTH + 2 * PADDING_X),
    height: lines.length * LINE_HEIGHT + 2 * PADDING_Y,
  };
}

const round = (n) => Math.round(n * 10) / 10;

/**
 * The flowchart with positions: every node's centre and size with its label in lines, every
 * edge's polyline and label position. Generic over the data: new nodes and edges need no code.
 */
export function layoutFlowchart(chart) {
  const graph = new dagre.graphlib.Graph({ multigraph: true });
  // Left to right: the first question is always at the left edge, where the scroll area opens,
  // however wide the branches grow; the chart is about as tall as a screen and scrolls sideways.
  graph.setGraph({
    rankdir: 'LR',
    nodesep: 28,
    ranksep: 56,
    edgesep: 16,
    marginx: 8,
    marginy: 8,
    align: 'UL',
  });
  graph.setDefaultEdgeLabel(() => ({}));
  const nodes = chart.nodes.map((node) => {
    const lines = wrap(node.kind === 'question' ? node.text : node.label, NODE_CHARS);
    const size = box(lines);
    graph.setNode(node.id, size);
    return { id: node.id, kind: node.kind, lines, ...size };
  });
  const edges = chart.edges.map((edge) => {
    const source = chart.nodes.find((n) => n.id === edge.from);
    const label = source?.answers?.find((a) => a.value === edge.answer)?.label ?? edge.answer;
    const lines = wrap(label, EDGE_CHARS);
    const size = box(lines);
    graph.setEdge(edge.from, edge.to, { ...size, labelpos: 'c' }, edge.answer);
    return { from: edge.from, to: edge.to, answer: edge.answer, lines, ...size };
  });
  dagre.layout(graph);
  const { width, height } = graph.graph();
  return {
    width: Math.ceil(width),
    height: Math.ceil(height),
    fontSize: FONT_SIZE,
    lineHeight: LINE_HEIGHT,
    nodes: nodes.map((node) => {
      const { x, y } = graph.node(node.id);
      return { ...node, x: round(x), y: round(y) };
    }),
    edges: edges.map((edge) => {
      const laid = graph.edge(edge.from, edge.to, edge.answer);
      return {
        ...edge,
        x: round(laid.x),
        y: round(laid.y),
        points: laid.points.map((p) => [round(p.x), round(p.y)]),
      };
    }),
  };
}
