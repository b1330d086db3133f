import { useEffect, useRef, useState, type ReactNode } from 'react';
import type { CombinedError } from 'urql';
import { problemOf } from './errors';
import { when, words } from './format';

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

export interface Connection<T> {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: T[];
}

/** The cursors of the pages passed so far; the last one is the `after` of the page shown. */
export function useCursors() {
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  return { cursors, setCursors, after: cursors[cursors.length - 1], restart: () => setCursors([null]) };
}

/** A page of a connection with its loading, error and empty states, and keyset paging beneath. */
export function Listing<T>({
  page,
  fetching,
  error,
  what,
  empty,
  paging,
  children,
}: {
  page: Connection<T> | undefined;
  fetching: boolean;
  error: CombinedError | undefined;
  what: string;
  empty: string;
  paging: ReturnType<typeof useCursors>;
  children(nodes: T[]): ReactNode;
}) {
  return (
    <>
      {error && <ProblemBox error={error} />}
      {!page && fetching && <Loading what={what} />}
      {page && page.nodes.length === 0 && <Empty>{empty}</Empty>}
      {page && page.nodes.length > 0 && (
        <>
          <p className="muted">{page.totalCount} in all</p>
          {children(page.nodes)}
          <Pager cursors={paging.cursors} hasNextPage={page.pageInfo.hasNextPage} endCursor={page.pageInfo.endCursor} onChange={paging.setCursors} />
        </>
      )}
    </>
  );
}

export function Table({ caption, columns, children }: { caption: string; columns: ReactNode[]; children: ReactNode }) {
  return (
    <table>
      <caption className="visually-hidden">{caption}</caption>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** The parties and the law of a takedown or disclosure request, as rows of a facts list. */
export function Parties({ request: r }: { request: { requestedBy: { name: string }; addressedTo: { name: string }; platform: string; legalBasis: { instrument: string; section: string | null } } }) {
  return (
    <>
      <dt>From</dt>
      <dd>{r.requestedBy.name}</dd>
      <dt>To</dt>
      <dd>
        {r.addressedTo.name} ({words(r.platform)})
      </dd>
      <dt>Legal basis</dt>
      <dd>
        <Text>
          {r.legalBasis.instrument} {r.legalBasis.section}
        </Text>
      </dd>
    </>
  );
}

export interface TimelineEntry {
  id: string;
  at: string;
  fromStatus: string | null;
  toStatus: string;
  note: string | null;
  actor: { sub: string | null; partner: { name: string } };
}

/** A request's history, oldest first; `detail` adds what a kind of entry carries beyond the note. */
export function Timeline<E extends TimelineEntry>({ entries, detail }: { entries: E[]; detail?(entry: E): ReactNode }) {
  return (
    <section aria-labelledby="history">
      <h2 id="history">History</h2>
      <ol className="timeline">
        {entries.map((h) => (
          <li key={h.id}>
            <time dateTime={h.at}>{when(h.at)}</time> <strong>{h.fromStatus ? `${words(h.fromStatus)} → ${words(h.toStatus)}` : 'Drafted'}</strong> by{' '}
            {h.actor.partner.name}
            {h.actor.sub && ` (${h.actor.sub})`}
            {detail?.(h)}
            {h.note && (
              <p className="note">
                <Text>{h.note}</Text>
              </p>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** The options of a select over constants of the API, in words. */
export const Options = ({ values }: { values: readonly string[] }) => (
  <>
    {values.map((value) => (
      <option key={value} value={value}>
        {words(value)}
      </option>
    ))}
  </>
);
