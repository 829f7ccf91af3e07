import Mermaid from '@theme/Mermaid';
import type { ReactNode } from 'react';
import { generated } from '../../lib/flowchart-data';

/** The decision flowchart, drawn by Mermaid from `toMermaid(flowchart)` generated at build time. */
export default function Flowchart(): ReactNode {
  return (
    <div className="forkroad-flowchart" data-testid="flowchart">
      <Mermaid value={generated.mermaid} />
    </div>
  );
}

/** The flowchart's outcomes with the model each recommends per runtime, from the same data. */
export function OutcomeTable(): ReactNode {
  const outcomes = generated.flowchart.nodes.filter((node) => node.kind === 'outcome');
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
  const questions = generated.flowchart.nodes
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
