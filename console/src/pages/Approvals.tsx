import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { APPROVALS, UPDATE_STATUS } from '../queries';
import { useMe } from '../session';
import { useLiveRefetch } from '../live';
import { shortId, when, words } from '../format';
import { Empty, Loading, PageTitle, Pager, ProblemBox, Text } from '../ui';
import type { RequestRow } from './Queue';

interface Draft extends RequestRow {
  allowedTransitions: string[];
  history: { sequence: number; actor: { sub: string | null; partner: { slug: string } } }[];
}

/** The supervisor's approval queue: drafts to submit, with the two-person rule in plain sight. */
export function Approvals() {
  const me = useMe();
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }, refetch] = useQuery<{
    takedownRequests: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; nodes: Draft[] };
  }>({ query: APPROVALS, variables: { after: cursors[cursors.length - 1] } });
  const [result, update] = useMutation(UPDATE_STATUS);
  useLiveRefetch(() => refetch({ requestPolicy: 'network-only' }));
  const page = data?.takedownRequests;

  const approve = async (draft: Draft) => {
    const outcome = await update({ input: { id: draft.id, status: 'SUBMITTED', expectedVersion: draft.version } });
    if (!outcome.error) refetch({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageTitle>Drafts awaiting approval</PageTitle>
      <p>Two-person rule: a supervisor other than the drafter submits each request. Submitting starts the platform's clock.</p>
      {result.error && <ProblemBox error={result.error} onReload={() => refetch({ requestPolicy: 'network-only' })} />}
      {error && <ProblemBox error={error} />}
      {!page && fetching && <Loading what="drafts" />}
      {page && page.nodes.length === 0 && <Empty>No drafts are waiting.</Empty>}
      {page && page.nodes.length > 0 && (
        <>
          <table>
            <caption className="visually-hidden">Drafts</caption>
            <thead>
              <tr>
                <th scope="col">Draft</th>
                <th scope="col">Accounts</th>
                <th scope="col">To</th>
                <th scope="col">Drafted by</th>
                <th scope="col">Drafted</th>
                <th scope="col">Approval</th>
              </tr>
            </thead>
            <tbody>
              {page.nodes.map((d) => {
                const drafter = d.history.find((h) => h.sequence === 0)?.actor;
                const mine = drafter?.sub === me.sub && drafter?.partner.slug === me.partner.slug;
                return (
                  <tr key={d.id}>
                    <td>
                      <Link to={`/requests/${d.id}`}>
                        {words(d.kind)} …{shortId(d.id)}
                      </Link>
                      {d.priority === 'EMERGENCY' && <strong className="emergency"> Emergency</strong>}
                    </td>
                    <td>
                      {d.accounts.map((a) => (
                        <div key={a.id}>
                          <Text>@{a.handle}</Text>
                        </div>
                      ))}
                    </td>
                    <td>{d.addressedTo.name}</td>
                    <td>{drafter?.sub ?? 'another agency member'}{mine && ' (you)'}</td>
                    <td>{when(d.createdAt)}</td>
                    <td>
                      {d.allowedTransitions.includes('SUBMITTED') ? (
                        <button type="button" onClick={() => void approve(d)} disabled={result.fetching}>
                          Approve and submit
                        </button>
                      ) : (
                        <span className="rule">{mine ? 'You drafted this: another supervisor must approve it.' : 'Not yours to approve.'}</span>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
          <Pager cursors={cursors} hasNextPage={page.pageInfo.hasNextPage} endCursor={page.pageInfo.endCursor} onChange={setCursors} />
        </>
      )}
    </>
  );
}
