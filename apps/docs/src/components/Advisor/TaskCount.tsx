import type { QuestionNode } from '@forkroad/decide';
import { type FormEvent, type ReactNode, useId, useState } from 'react';
import { parseCount, takesCount } from './state';
import styles from './styles.module.css';

/**
 * For a question that asks for a count: a field to type the number, as `forkroad advise --tasks`
 * takes it. Renders nothing for other questions.
 */
export function TaskCount({
  node,
  onAnswer,
}: {
  node: QuestionNode;
  onAnswer: (count: string) => void;
}): ReactNode {
  const id = useId();
  const [text, setText] = useState('');
  const [invalid, setInvalid] = useState(false);
  if (!takesCount(node)) return null;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = parseCount(text);
    setInvalid(count === undefined);
    if (count !== undefined) onAnswer(String(count));
  };
  return (
    <form className={styles.count} onSubmit={submit} data-testid={`count-${node.id}`}>
      <label htmlFor={`${id}-count`}>Number of tasks in flight</label>
      <input
        id={`${id}-count`}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        value={text}
        aria-invalid={invalid}
        aria-describedby={`${id}-hint`}
        onChange={(event) => setText(event.target.value)}
      />
      <button type="submit" className="button button--primary">
        Next
      </button>
      <p id={`${id}-hint`} className={styles.help}>
        {invalid ? 'Type a whole number of 1 or more. ' : ''}Or pick a range:
      </p>
    </form>
  );
}
