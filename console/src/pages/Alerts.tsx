import { useState } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { MIRROR_ALERTS, REVIEW_ALERT } from '../queries';
import { abilities, useMe } from '../session';
import { when, words } from '../format';
import { Listing, PageTitle, ProblemBox, Text, useCursors, type Connection } from '../ui';

interface Alert {
  id: string;
  status: string;
  source: string;
  verdict: string;
  probability: number;
  signals: string[];
  platform: string;
  createdAt: string;
  reviewedAt: string | null;
  draftRequestId: string | null;
  candidate: { handle: string; displayName: string | null; bio: string | null; links: string[]; platform: string };
  matched: { handle: string; displayName: string | null; platform: string; organisations: string[]; removedAt: string };
}

/** Likely mirrors of removed accounts: the candidate beside the removed account, with the signals. */
export function Alerts() {
  const me = useMe();
  const reviews = abilities(me).agencyCasework;
  const [status, setStatus] = useState('PENDING_REVIEW');
  const paging = useCursors();
  const [{ data, fetching, error }, refetch] = useQuery<{ mirrorAlerts: Connection<Alert> }>({
    query: MIRROR_ALERTS,
    variables: { filter: status ? { statuses: [status] } : undefined, after: paging.after },
  });
  return (
    <>
      <PageTitle>Mirror alerts</PageTitle>
      <p className="muted">
        {reviews
          ? 'Confirm or dismiss alerts on accounts your agency had removed; confirming can draft a takedown request.'
          : 'The agency that had the original account removed confirms or dismisses each alert.'}
      </p>
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Status
          <select
            value={status}
            onChange={(e) => {
              setStatus(e.target.value);
              paging.restart();
            }}
          >
            <option value="">All</option>
            <option value="PENDING_REVIEW">Pending review</option>
            <option value="CONFIRMED">Confirmed</option>
            <option value="DISMISSED">Dismissed</option>
          </select>
        </label>
      </form>
      <Listing page={data?.mirrorAlerts} fetching={fetching} error={error} what="alerts" empty="No alerts with this status." paging={paging}>
        {(nodes) => (
          <ul className="cards">
            {nodes.map((a) => (
              <AlertCard key={a.id} alert={a} reviews={reviews} onReviewed={() => refetch({ requestPolicy: 'network-only' })} />
            ))}
          </ul>
        )}
      </Listing>
    </>
  );
}

function AlertCard({ alert: a, reviews, onReviewed }: { alert: Alert; reviews: boolean; onReviewed(): void }) {
  const [note, setNote] = useState('');
  const [draft, setDraft] = useState(true);
  const [result, review] = useMutation(REVIEW_ALERT);
  const decide = async (decision: 'CONFIRMED' | 'DISMISSED') => {
    const outcome = await review({ input: { id: a.id, decision, note: note.trim() || undefined, createTakedownDraft: decision === 'CONFIRMED' && draft } });
    if (!outcome.error) onReviewed();
  };
  return (
    <li className="card alert">
      <h2>
        <Text>@{a.candidate.handle}</Text> — {words(a.verdict)} ({Math.round(a.probability * 100)}%)
      </h2>
      <p className="muted">
        {words(a.source)} on {words(a.platform)}, {when(a.createdAt)} · {words(a.status)}
        {a.draftRequestId && (
          <>
            {' '}
            · <Link to={`/requests/${a.draftRequestId}`}>draft request</Link>
          </>
        )}
      </p>
      <div className="side-by-side">
        <section aria-label="Candidate account">
          <h3>Candidate</h3>
          <p>
            <strong>
              <Text>@{a.candidate.handle}</Text>
            </strong>{' '}
            {a.candidate.displayName && <Text>{a.candidate.displayName}</Text>}
          </p>
          <p className="muted">{words(a.candidate.platform)}</p>
          {a.candidate.bio && (
            <p>
              <Text>{a.candidate.bio}</Text>
            </p>
          )}
          {a.candidate.links.length > 0 && (
            <ul>
              {a.candidate.links.map((l) => (
                <li key={l}>
                  <Text>{l}</Text>
                </li>
              ))}
            </ul>
          )}
        </section>
        <section aria-label="Removed account">
          <h3>Removed account</h3>
          <p>
            <strong>
              <Text>@{a.matched.handle}</Text>
            </strong>{' '}
            {a.matched.displayName && <Text>{a.matched.displayName}</Text>}
          </p>
          <p className="muted">
            {words(a.matched.platform)}, removed {when(a.matched.removedAt)}
          </p>
          <p>{a.matched.organisations.join(', ')}</p>
        </section>
      </div>
      <h3>Signals</h3>
      <ul className="signals">
        {a.signals.map((s, i) => (
          <li key={i}>
            <Text>{s}</Text>
          </li>
        ))}
      </ul>
      {reviews && a.status === 'PENDING_REVIEW' && (
        <div className="review">
          <label>
            Note
            <input value={note} onChange={(e) => setNote(e.target.value)} />
          </label>
          <label className="check">
            <input type="checkbox" checked={draft} onChange={(e) => setDraft(e.target.checked)} />
            On confirming, draft a takedown request from the original one
          </label>
          <div className="buttons">
            <button type="button" onClick={() => void decide('CONFIRMED')} disabled={result.fetching}>
              Confirm mirror
            </button>
            <button type="button" className="secondary" onClick={() => void decide('DISMISSED')} disabled={result.fetching}>
              Dismiss
            </button>
          </div>
        </div>
      )}
      {result.error && <ProblemBox error={result.error} />}
    </li>
  );
}
