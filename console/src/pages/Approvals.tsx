import { useMutation, useQuery } from 'urql';
import { APPROVALS, UPDATE_STATUS } from '../queries';
import { useMe } from '../session';
import { useLiveRefetch } from '../live';
import { when } from '../format';
import { Listing, PageTitle, ProblemBox, Table, useCursors, type Connection } from '../ui';
import { Handles, RequestLink, type RequestRow } from './Queue';

interface Draft extends RequestRow {
  allowedTransitions: string[];
  history: { sequence: number; actor: { sub: string | null; partner: { slug: string } } }[];
}

/** The supervisor's approval queue: drafts to submit, with the two-person rule in plain sight. */
export function Approvals() {
  const me = useMe();
  const paging = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery<{ takedownRequests: Connection<Draft> }>({ query: APPROVALS, variables: { after: paging.after } });
  const [result, update] = useMutation(UPDATE_STATUS);
  useLiveRefetch(() => refetch({ requestPolicy: 'network-only' }));

  const approve = async (draft: Draft) => {
    const outcome = await update({ input: { id: draft.id, status: 'SUBMITTED', expectedVersion: draft.version } });
    if (!outcome.error) refetch({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageTitle>Drafts awaiting approval</PageTitle>
      <p>Two-person rule: a supervisor other than the drafter submits each request. Submitting starts the platform's clock.</p>
      {result.error && <ProblemBox error={result.error} onReload={() => refetch({ requestPolicy: 'network-only' })} />}
      <Listing page={data?.takedownRequests} fetching={fetching} error={error} what="drafts" empty="No drafts are waiting." paging={paging}>
        {(nodes) => (
          <Table caption="Drafts" columns={['Draft', 'Accounts', 'To', 'Drafted by', 'Drafted', 'Approval']}>
            {nodes.map((d) => {
              const drafter = d.history.find((h) => h.sequence === 0)?.actor;
              const mine = drafter?.sub === me.sub && drafter?.partner.slug === me.partner.slug;
              return (
                <tr key={d.id}>
                  <td>
                    <RequestLink request={d} />
                    {d.priority === 'EMERGENCY' && <strong className="emergency"> Emergency</strong>}
                  </td>
                  <td>
                    <Handles accounts={d.accounts} />
                  </td>
                  <td>{d.addressedTo.name}</td>
                  <td>
                    {drafter?.sub ?? 'another agency member'}
                    {mine && ' (you)'}
                  </td>
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
          </Table>
        )}
      </Listing>
    </>
  );
}
