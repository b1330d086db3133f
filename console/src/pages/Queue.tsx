import { useState } from 'react';
import { Link } from 'react-router';
import { useQuery } from 'urql';
import { ORGANISATIONS, REQUESTS } from '../queries';
import { abilities, useMe } from '../session';
import { useLiveRefetch } from '../live';
import { countdown, shortId, when, words } from '../format';
import { useNow } from '../now';
import { Listing, Options, PageTitle, Status, Table, Text, useCursors, type Connection } from '../ui';

export const STATUSES = ['DRAFT', 'SUBMITTED', 'ACKNOWLEDGED', 'INFO_REQUESTED', 'ESCALATED', 'ACTIONED', 'REJECTED', 'REINSTATED', 'WITHDRAWN', 'CLOSED'];

export interface RequestRow {
  id: string;
  status: string;
  kind: string;
  priority: string;
  platform: string;
  overdue: boolean;
  needsReview: boolean;
  deadlineAt: string | null;
  submittedAt: string | null;
  createdAt: string;
  version: number;
  addressedTo: { slug: string; name: string };
  requestedBy: { slug: string; name: string };
  accounts: { id: string; handle: string; platform: string }[];
  organisations: { id: string; name: string }[];
}

/** The request's kind and the end of its id, linked to its page. */
export const RequestLink = ({ request }: { request: Pick<RequestRow, 'id' | 'kind'> }) => (
  <Link to={`/requests/${request.id}`}>
    {words(request.kind)} …{shortId(request.id)}
  </Link>
);

export const Handles = ({ accounts }: { accounts: RequestRow['accounts'] }) => (
  <>
    {accounts.map((a) => (
      <div key={a.id}>
        <Text>@{a.handle}</Text> <span className="muted">{words(a.platform)}</span>
      </div>
    ))}
  </>
);

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
  const paging = useCursors();

  const statuses = status === 'OPEN' ? ['SUBMITTED', 'ACKNOWLEDGED', 'ESCALATED'] : status ? [status] : undefined;
  const filter = { statuses, priority: priority || undefined, overdue: overdue || undefined, organisationId: organisationId || undefined };
  const [{ data, fetching, error }, refetch] = useQuery<{ takedownRequests: Connection<RequestRow> }>({
    query: REQUESTS,
    variables: { filter, first: 20, after: paging.after },
  });
  const [orgs] = useQuery<{ organisations: Connection<{ id: string; name: string }> }>({ query: ORGANISATIONS, variables: {} });
  useLiveRefetch(() => refetch({ requestPolicy: 'network-only' }));
  const restart = <T,>(set: (v: T) => void) => (value: T) => {
    set(value);
    paging.restart();
  };

  return (
    <>
      <PageTitle>{platform ? 'Your queue' : 'Takedown requests'}</PageTitle>
      <form className="filters" aria-label="Filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select value={status} onChange={(e) => restart(setStatus)(e.target.value)}>
            <option value="">All</option>
            <option value="OPEN">Awaiting the platform</option>
            <Options values={STATUSES} />
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
      <Listing page={data?.takedownRequests} fetching={fetching} error={error} what="requests" empty="No requests match these filters." paging={paging}>
        {(nodes) => (
          <Table caption="Takedown requests" columns={['Request', 'Status', 'Priority', 'Accounts', 'Organisations', platform ? 'From' : 'To', 'Deadline']}>
            {nodes.map((r) => (
              <tr key={r.id} className={r.overdue ? 'row-overdue' : undefined}>
                <td>
                  <RequestLink request={r} />
                </td>
                <td>
                  <Status value={r.status} />
                  {r.needsReview && <span className="review-flag"> · needs review</span>}
                </td>
                <td>{r.priority === 'EMERGENCY' ? <strong className="emergency">Emergency</strong> : 'Standard'}</td>
                <td>
                  <Handles accounts={r.accounts} />
                </td>
                <td>{r.organisations.map((o) => o.name).join(', ')}</td>
                <td>{platform ? r.requestedBy.name : r.addressedTo.name}</td>
                <td>
                  <Deadline row={r} now={now} />
                </td>
              </tr>
            ))}
          </Table>
        )}
      </Listing>
    </>
  );
}
