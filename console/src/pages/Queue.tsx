import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ORGANISATIONS, REQUESTS } from '../queries';
import { abilities, useMe } from '../session';
import { useLiveRefetch } from '../live';
import { countdown, shortId, when, words } from '../format';
import { useNow } from '../now';
import { Empty, Loading, PageTitle, Pager, ProblemBox, Status, Text } from '../ui';

export const STATUSES = ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'INFO_REQUESTED', 'ESCALATED', 'ACTIONED', 'REJECTED', 'REINSTATED', 'WITHDRAWN', 'CLOSED'];

export interface RequestRow {
  id: string;
  status: string;
  kind: string;
  priority: string;
  platform: string;
  overdue: boolean;
  deadlineAt: string | null;
  submittedAt: string | null;
  createdAt: string;
  version: number;
  addressedTo: { slug: string; name: string };
  requestedBy: { slug: string; name: string };
  accounts: { id: string; handle: string; platform: string }[];
  organisations: { id: string; name: string }[];
}

interface Page<T> {
  totalCount: number;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  nodes: T[];
}

export function Deadline({ row, now }: { row: Pick<RequestRow, 'deadlineAt' | 'overdue'>; now: number }) {
  if (!row.deadlineAt) return <span className="muted">no clock</span>;
  return (
    <time dateTime={row.deadlineAt} title={when(row.deadlineAt)} className={row.overdue ? 'overdue' : undefined}>
      {countdown(row.deadlineAt, now)}
    </time>
  );
}

/** A platform's queue, or an agency's requests: filters, deadline countdowns, keyset paging. */
export function Queue() {
  const me = useMe();
  const platform = abilities(me).platformCasework;
  const now = useNow();
  const [status, setStatus] = useState(platform ? 'OPEN' : '');
  const [priority, setPriority] = useState('');
  const [overdue, setOverdue] = useState(false);
  const [organisationId, setOrganisationId] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);

  const statuses = status === 'OPEN' ? ['SUBMITTED', 'ACKNOWLEDGED', 'ESCALATED'] : status ? [status] : undefined;
  const filter = { statuses, priority: priority || undefined, overdue: overdue || undefined, organisationId: organisationId || undefined };
  const [{ data, fetching, error }, refetch] = useQuery<{ takedownRequests: Page<RequestRow> }>({
    query: REQUESTS,
    variables: { filter, first: 20, after: cursors[cursors.length - 1] },
  });
  const [orgs] = useQuery<{ organisations: Page<{ id: string; name: string }> }>({ query: ORGANISATIONS, variables: {} });
  useLiveRefetch(() => refetch({ requestPolicy: 'network-only' }));
  const restart = <T,>(set: (v: T) => void) => (value: T) => {
    set(value);
    setCursors([null]);
  };
  const page = data?.takedownRequests;

  return (
    <>
      <PageTitle>{platform ? 'Your queue' : 'Takedown requests'}</PageTitle>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => restart(setStatus)(e.target.value)}>
            <option value="">All</option>
            <option value="OPEN">Awaiting the platform</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {words(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          Priority
          <select value={priority} onChange={(e) => restart(setPriority)(e.target.value)}>
            <option value="">All</option>
            <option value="EMERGENCY">Emergency</option>
            <option value="STANDARD">Standard</option>
          </select>
        </label>
        <label>
          Organisation
          <select value={organisationId} onChange={(e) => restart(setOrganisationId)(e.target.value)}>
            <option value="">All</option>
            {orgs.data?.organisations.nodes.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={overdue} onChange={(e) => restart(setOverdue)(e.target.checked)} />
          Overdue only
        </label>
      </form>
      {error && <ProblemBox error={error} />}
      {!page && fetching && <Loading what="requests" />}
      {page && page.nodes.length === 0 && <Empty>No requests match these filters.</Empty>}
      {page && page.nodes.length > 0 && (
        <>
          <p className="muted">{page.totalCount} in all</p>
          <table>
            <caption className="visually-hidden">Takedown requests</caption>
            <thead>
              <tr>
                <th scope="col">Request</th>
                <th scope="col">Status</th>
                <th scope="col">Priority</th>
                <th scope="col">Accounts</th>
                <th scope="col">Organisations</th>
                <th scope="col">{platform ? 'From' : 'To'}</th>
                <th scope="col">Deadline</th>
              </tr>
            </thead>
            <tbody>
              {page.nodes.map((r) => (
                <tr key={r.id} className={r.overdue ? 'row-overdue' : undefined}>
                  <td>
                    <Link to={`/requests/${r.id}`}>
                      {words(r.kind)} …{shortId(r.id)}
                    </Link>
                  </td>
                  <td>
                    <Status value={r.status} />
                  </td>
                  <td>{r.priority === 'EMERGENCY' ? <strong className="emergency">Emergency</strong> : 'Standard'}</td>
                  <td>
                    {r.accounts.map((a) => (
                      <div key={a.id}>
                        <Text>@{a.handle}</Text> <span className="muted">{words(a.platform)}</span>
                      </div>
                    ))}
                  </td>
                  <td>{r.organisations.map((o) => o.name).join(', ')}</td>
                  <td>{platform ? r.requestedBy.name : r.addressedTo.name}</td>
                  <td>
                    <Deadline row={r} now={now} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <Pager cursors={cursors} hasNextPage={page.pageInfo.hasNextPage} endCursor={page.pageInfo.endCursor} onChange={setCursors} />
        </>
      )}
    </>
  );
}
