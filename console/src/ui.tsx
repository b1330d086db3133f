import { useEffect, useRef, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { problemOf } from './errors';
import { words } from './format';

export function Loading({ what }: { what: string }) {
  return (
    <p className="muted" role="status">
      Loading {what}…
    </p>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** An error in words, with the server's own sentence beneath when it adds something. */
export function ProblemBox({ error, onReload }: { error: CombinedError; onReload?: () => void }) {
  const problem = problemOf(error);
  return (
    <div className="problem" role="alert" data-code={problem.code}>
      <p>
        <strong>{problem.summary}</strong>
      </p>
      {problem.detail && <p className="detail">{problem.detail}</p>}
      {problem.code === 'CONFLICT' && onReload && (
        <button type="button" onClick={onReload}>
          Reload
        </button>
      )}
    </div>
  );
}

export function Status({ value }: { value: string }) {
  return <span className={`status status-${value.toLowerCase()}`}>{words(value)}</span>;
}

/** The page's heading takes focus on arrival, so keyboard and screen-reader users start there. */
export function PageTitle({ children }: { children: ReactNode }) {
  const ref = useRef<HTMLHeadingElement>(null);
  useEffect(() => ref.current?.focus(), []);
  return (
    <h1 ref={ref} tabIndex={-1}>
      {children}
    </h1>
  );
}

/** Keyset paging: the cursors already passed are kept, so "Previous" returns exactly. */
export function Pager({
  cursors,
  hasNextPage,
  endCursor,
  onChange,
}: {
  cursors: (string | null)[];
  hasNextPage: boolean;
  endCursor: string | null | undefined;
  onChange(next: (string | null)[]): void;
}) {
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" disabled={cursors.length <= 1} onClick={() => onChange(cursors.slice(0, -1))}>
        Previous page
      </button>
      <span>Page {cursors.length}</span>
      <button type="button" disabled={!hasNextPage || !endCursor} onClick={() => onChange([...cursors, endCursor ?? null])}>
        Next page
      </button>
    </nav>
  );
}

/**
 * Free text from the exchange (handles, notes, bios) is evidence and may hold bidi controls:
 * isolated so that it cannot reorder the text around it. React renders it as text, never HTML.
 */
export const Text = ({ children }: { children: ReactNode }) => <bdi>{children}</bdi>;
