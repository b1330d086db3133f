import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { DISCLOSURE, DISCLOSURES, OPEN_DISCLOSURE } from '../queries';
import { abilities, useMe } from '../session';
import { shortId, when, words } from '../format';
import { Listing, Loading, PageTitle, Parties, ProblemBox, Status, Table, Text, Timeline, useCursors, type Connection } from '../ui';

interface Row {
  id: string;
  type: string;
  status: string;
  platform: string;
  categories: string[];
  createdAt: string;
  deadlineAt: string | null;
  overdue: boolean;
  caseReference: string | null;
  addressedTo: { name: string };
  requestedBy: { name: string };
}

export function Disclosures() {
  const paging = useCursors();
  const [{ data, fetching, error }] = useQuery<{ disclosureRequests: Connection<Row> }>({ query: DISCLOSURES, variables: { after: paging.after } });
  return (
    <>
      <PageTitle>Disclosure requests</PageTitle>
      <Listing page={data?.disclosureRequests} fetching={fetching} error={error} what="disclosure requests" empty="No disclosure requests." paging={paging}>
        {(nodes) => (
          <Table caption="Disclosure requests" columns={['Request', 'Status', 'Categories', 'Between', 'Deadline']}>
            {nodes.map((d) => (
              <tr key={d.id}>
                <td>
                  <Link to={`/disclosures/${d.id}`}>
                    {words(d.type)} …{shortId(d.id)}
                  </Link>
                  {d.caseReference && (
                    <div className="muted">
                      <Text>{d.caseReference}</Text>
                    </div>
                  )}
                </td>
                <td>
                  <Status value={d.status} />
                </td>
                <td>{d.categories.map(words).join(', ')}</td>
                <td>
                  {d.requestedBy.name} → {d.addressedTo.name}
                </td>
                <td className={d.overdue ? 'overdue' : undefined}>{when(d.deadlineAt)}</td>
              </tr>
            ))}
          </Table>
        )}
      </Listing>
    </>
  );
}

interface Disclosure extends Row {
  dataFrom: string;
  dataTo: string;
  submittedAt: string | null;
  version: number;
  legalBasis: { instrument: string; section: string | null };
  accounts: { handle: string | null; url: string | null; platformAccountId: string | null }[];
  production: { categories: string[]; mediaType: string; producedAt: string; sha256: string; sizeBytes: number } | null;
  openings: { id: string; at: string; purpose: string; sub: string | null; partner: { name: string } }[];
  history: { id: string; sequence: number; at: string; fromStatus: string | null; toStatus: string; note: string | null; actor: { sub: string | null; partner: { name: string } } }[];
}

interface Opened {
  mediaType: string;
  payloadBase64: string;
  sha256: string;
  openedAt: string;
}

/** Bytes as text where they are text; otherwise only their size (the hash identifies them). */
function readable(opened: Opened): string {
  const bytes = Uint8Array.from(atob(opened.payloadBase64), (c) => c.charCodeAt(0));
  if (!/^(text\/|application\/(json|xml|csv))/.test(opened.mediaType)) return `${bytes.length} bytes of ${opened.mediaType}`;
  return new TextDecoder().decode(bytes);
}

export function DisclosurePage() {
  const { id = '' } = useParams();
  const me = useMe();
  const [{ data, fetching, error }, refetch] = useQuery<{ disclosureRequest: Disclosure }>({ query: DISCLOSURE, variables: { id } });
  const [purpose, setPurpose] = useState('');
  const [opened, open] = useMutation<{ openDisclosure: Opened }>(OPEN_DISCLOSURE);

  if (error) {
    return (
      <>
        <PageTitle>Disclosure request not found</PageTitle>
        <ProblemBox error={error} />
      </>
    );
  }
  const d = data?.disclosureRequest;
  if (!d) return fetching ? <Loading what="the disclosure request" /> : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await open({ id: d.id, purpose: purpose.trim() });
    if (!outcome.error) refetch({ requestPolicy: 'network-only' });
  };

  return (
    <>
      <PageTitle>
        {words(d.type)} …{shortId(d.id)} <Status value={d.status} />
      </PageTitle>
      <dl className="facts">
        <Parties request={d} />
        <dt>Categories</dt>
        <dd>{d.categories.map(words).join(', ')}</dd>
        <dt>Data period</dt>
        <dd>
          {when(d.dataFrom)} to {when(d.dataTo)}
        </dd>
        <dt>Deadline</dt>
        <dd>{when(d.deadlineAt)}</dd>
      </dl>
      <section aria-labelledby="accounts">
        <h2 id="accounts">Accounts</h2>
        <ul>
          {d.accounts.map((a, i) => (
            <li key={i}>
              <Text>{a.handle ?? a.url ?? a.platformAccountId}</Text>
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="production" className="card">
        <h2 id="production">Production</h2>
        {!d.production ? (
          <p className="empty">Nothing produced yet.</p>
        ) : (
          <>
            <p>
              {d.production.categories.map(words).join(', ')} · {d.production.mediaType} · {d.production.sizeBytes} bytes · produced {when(d.production.producedAt)}
            </p>
            <p className="mono">SHA-256 {d.production.sha256}</p>
            {abilities(me).opensDisclosures ? (
              <form onSubmit={submit} className="form">
                <label>
                  Purpose of this opening (recorded, with your name and the time)
                  <input value={purpose} onChange={(e) => setPurpose(e.target.value)} required minLength={3} />
                </label>
                <button type="submit" disabled={opened.fetching || purpose.trim().length < 3}>
                  Open the production
                </button>
              </form>
            ) : (
              <p className="muted">Only your agency's disclosure readers open productions; each opening is recorded.</p>
            )}
            {opened.error && <ProblemBox error={opened.error} />}
            {opened.data && (
              <figure>
                <figcaption>
                  Opened {when(opened.data.openDisclosure.openedAt)}; SHA-256 {opened.data.openDisclosure.sha256}
                </figcaption>
                <pre className="payload">{readable(opened.data.openDisclosure)}</pre>
              </figure>
            )}
          </>
        )}
      </section>
      <section aria-labelledby="openings">
        <h2 id="openings">Openings log</h2>
        {d.openings.length === 0 ? (
          <p className="empty">Never opened.</p>
        ) : (
          <Table caption="Openings" columns={['When', 'Who', 'Purpose']}>
            {d.openings.map((o) => (
              <tr key={o.id}>
                <td>{when(o.at)}</td>
                <td>
                  {o.partner.name}
                  {o.sub && ` (${o.sub})`}
                </td>
                <td>
                  <Text>{o.purpose}</Text>
                </td>
              </tr>
            ))}
          </Table>
        )}
      </section>
      <Timeline entries={d.history} />
    </>
  );
}
