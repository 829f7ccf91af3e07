import { type ReactNode, useId } from 'react';
import { generated, type LaidOutEdge, type LaidOutNode } from '../../lib/flowchart-data';
import styles from './styles.module.css';

const { flowchart, layout } = generated;

function labelOf(id: string): string {
  const node = flowchart.nodes.find((n) => n.id === id);
  if (node === undefined) return id;
  return node.kind === 'question' ? node.text : node.label;
}

/** The chart in words, for assistive technology: every question with where each answer leads. */
function describe(): string {
  return flowchart.nodes
    .filter((node) => node.kind === 'question')
    .map((node) => {
      const branches = flowchart.edges
        .filter((edge) => edge.from === node.id)
        .map((edge) => {
          const answer = node.answers.find((a) => a.value === edge.answer)?.label ?? edge.answer;
          return `${answer} → ${labelOf(edge.to)}`;
        });
      return `${node.text} ${branches.join('; ')}.`;
    })
    .join(' ');
}

/** Lines of text centred on (x, y). */
function Lines({ lines, x, y }: { lines: string[]; x: number; y: number }): ReactNode {
  const top = y - ((lines.length - 1) * layout.lineHeight) / 2;
  return (
    <text x={x} y={top} textAnchor="middle" dominantBaseline="central">
      {lines.map((line, i) => (
        <tspan key={line} x={x} y={top + i * layout.lineHeight}>
          {line}
        </tspan>
      ))}
    </text>
  );
}

function Node({ node }: { node: LaidOutNode }): ReactNode {
  const left = node.x - node.width / 2;
  const top = node.y - node.height / 2;
  return (
    <g className={node.kind === 'question' ? styles.question : styles.outcome} data-node={node.id}>
      <rect
        x={left}
        y={top}
        width={node.width}
        height={node.height}
        rx={node.kind === 'question' ? 4 : node.height / 2}
      />
      <Lines lines={node.lines} x={node.x} y={node.y} />
    </g>
  );
}

function Edge({ edge, marker }: { edge: LaidOutEdge; marker: string }): ReactNode {
  const [first, ...rest] = edge.points;
  if (first === undefined) return null;
  const d = `M${first[0]},${first[1]}${rest.map(([x, y]) => ` L${x},${y}`).join('')}`;
  return (
    <g className={styles.edge} data-edge={`${edge.from}-${edge.answer}`}>
      <path d={d} markerEnd={`url(#${marker})`} />
      <rect
        className={styles.edgeLabel}
        x={edge.x - edge.width / 2}
        y={edge.y - edge.height / 2}
        width={edge.width}
        height={edge.height}
        rx={4}
      />
      <Lines lines={edge.lines} x={edge.x} y={edge.y} />
    </g>
  );
}

/**
 * The decision flowchart as an SVG, drawn during the build from `@forkroad/decide`'s
 * `flowchart` (laid out by scripts/flowchart-layout.mjs): it is in the HTML before any script
 * runs. Shown at its natural size in a scroll area the keyboard can focus.
 */
export default function Flowchart(): ReactNode {
  const id = useId().replace(/:/g, '');
  const titleId = `${id}-title`;
  const descId = `${id}-desc`;
  const marker = `${id}-arrow`;
  return (
    <section
      className={styles.scroll}
      data-testid="flowchart"
      aria-label="The decision flowchart (scrolls sideways)"
      // biome-ignore lint/a11y/noNoninteractiveTabindex: a scroll area must be reachable by keyboard to scroll it.
      tabIndex={0}
    >
      <svg
        className={styles.chart}
        role="img"
        aria-labelledby={titleId}
        aria-describedby={descId}
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        fontSize={layout.fontSize}
      >
        <title id={titleId}>
          The decision flowchart: from “Is it already fast enough?” to a concurrency model
        </title>
        <desc id={descId}>{describe()}</desc>
        <defs>
          <marker
            id={marker}
            viewBox="0 0 10 10"
            refX="9"
            refY="5"
            markerWidth="8"
            markerHeight="8"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" className={styles.arrow} />
          </marker>
        </defs>
        {layout.edges.map((edge) => (
          <Edge key={`${edge.from}-${edge.answer}`} edge={edge} marker={marker} />
        ))}
        {layout.nodes.map((node) => (
          <Node key={node.id} node={node} />
        ))}
      </svg>
    </section>
  );
}

/** The flowchart's outcomes with the model each recommends per runtime, from the same data. */
export function OutcomeTable(): ReactNode {
  const outcomes = flowchart.nodes.filter((node) => node.kind === 'outcome');
  return (
    <table>
      <thead>
        <tr>
          <th>outcome</th>
          <th>Node.js model</th>
          <th>Python model</th>
        </tr>
      </thead>
      <tbody>
        {outcomes.map((node) => (
          <tr key={node.id}>
            <td>{node.label}</td>
            <td>
              <code>{node.model.node}</code>
            </td>
            <td>
              <code>{node.model.python}</code>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** The flowchart's questions, in the order they are declared, with their help text. */
export function QuestionList(): ReactNode {
  // Two nodes may ask the same question on different branches: list each question once.
  const questions = flowchart.nodes
    .filter((node) => node.kind === 'question')
    .filter((node, index, all) => all.findIndex((other) => other.text === node.text) === index);
  return (
    <dl>
      {questions.map((node) => (
        <div key={node.id}>
          <dt>{node.text}</dt>
          <dd>
            {node.help} <em>Answers: {node.answers.map((a) => a.label).join(' · ')}.</em>
          </dd>
        </div>
      ))}
    </dl>
  );
}
