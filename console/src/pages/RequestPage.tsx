import { useState, type FormEvent } from 'react';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ACKNOWLEDGE_REVIEW_FLAG, REQUEST, UPDATE_STATUS } from '../queries';
import { abilities, useMe } from '../session';
import { useLiveRefetch } from '../live';
import { shortId, when, words } from '../format';
import { useNow } from '../now';
import { Loading, Options, PageTitle, Parties, ProblemBox, Status, Table, Text, Timeline, type TimelineEntry } from '../ui';
import { Deadline, type RequestRow } from './Queue';

interface HistoryEntry extends TimelineEntry {
  sequence: number;
  reasonCode: string | null;
  action: string | null;
  noteClassification: string;
  actor: { sub: string | null; partner: { slug: string; name: string } };
}

interface ReviewFlag {
  id: string;
  reason: string;
  raisedAt: string;
  acknowledgedAt: string | null;
  acknowledgementNote: string | null;
}

interface FullRequest extends RequestRow {
  updatedAt: string;
  reasons: string[];
  internalNotes: string | null;
  distribution: string | null;
  allowedTransitions: string[];
  legalBasis: { instrument: string; section: string | null };
  accounts: (RequestRow['accounts'][number] & { displayName: string | null; url: string | null; bio: string | null; organisations: { name: string }[] })[];
  evidence: { id: string; url: string | null; description: string | null; classification: string; capturedAt: string; sha256: string | null }[];
  history: HistoryEntry[];
  reviewFlags: ReviewFlag[];
}

/** What each move needs, as the API's contract states it (README, "The takedown state machine"). */
const REASONS: Record<string, string[]> = {
  INFO_REQUESTED: ['MANIFEST_ERROR', 'INSUFFICIENT_INFORMATION'],
  REJECTED: ['NO_VIOLATION', 'ACCOUNT_NOT_FOUND', 'ALREADY_ACTIONED', 'LEGAL_OBJECTION', 'INSUFFICIENT_INFORMATION'],
};
const ACTIONS = ['ACCOUNT_SUSPENDED', 'ACCOUNT_TERMINATED', 'CONTENT_REMOVED', 'GEO_BLOCKED', 'RESTRICTED'];

/** The verbs on the buttons, so that a reviewer reads what they do, not the status reached. */
const VERBS: Record<string, string> = {
  SUBMITTED: 'Submit',
  ACKNOWLEDGED: 'Acknowledge',
  INFO_REQUESTED: 'Ask for information',
  ACTIONED: 'Action',
  REJECTED: 'Reject',
  ESCALATED: 'Escalate',
  REINSTATED: 'Reinstate',
  WITHDRAWN: 'Withdraw',
  CLOSED: 'Close',
};

export function RequestPage() {
  const { id = '' } = useParams();
  const now = useNow();
  const [{ data, fetching, error }, refetch] = useQuery<{ takedownRequest: FullRequest }>({ query: REQUEST, variables: { id } });
  useLiveRefetch(() => refetch({ requestPolicy: 'network-only' }));
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error) {
    return (
      <>
        <PageTitle>{error.graphQLErrors[0]?.extensions?.code === 'NOT_FOUND' ? 'Request not found' : 'Request'}</PageTitle>
        <ProblemBox error={error} />
      </>
    );
  }
  const r = data?.takedownRequest;
  if (!r) return fetching ? <Loading what="the request" /> : null;

  return (
    <>
      <PageTitle>
        {words(r.kind)} …{shortId(r.id)} <Status value={r.status} />
      </PageTitle>
      <dl className="facts">
        <dt>Status</dt>
        <dd data-testid="request-status">{words(r.status)}</dd>
        <dt>Priority</dt>
        <dd>{words(r.priority)}</dd>
        <Parties request={r} />
        <dt>Submitted</dt>
        <dd>{when(r.submittedAt)}</dd>
        <dt>Deadline</dt>
        <dd>
          {r.deadlineAt ? (
            <>
              {when(r.deadlineAt)} (<Deadline row={r} now={now} />)
            </>
          ) : (
            'No clock running'
          )}
        </dd>
        {r.distribution && (
          <>
            <dt>Distribution</dt>
            <dd>{words(r.distribution)}</dd>
          </>
        )}
        <dt>Version</dt>
        <dd>{r.version}</dd>
      </dl>

      {r.reviewFlags.length > 0 && <ReviewFlags request={r} onChanged={reload} />}

      <Actions request={r} onChanged={reload} />

      <section aria-labelledby="reasons">
        <h2 id="reasons">Reasons</h2>
        <ul>
          {r.reasons.map((reason, i) => (
            <li key={i}>
              <Text>{reason}</Text>
            </li>
          ))}
        </ul>
        {r.internalNotes && (
          <p>
            <strong>Internal notes (agencies only):</strong> <Text>{r.internalNotes}</Text>
          </p>
        )}
      </section>

      <section aria-labelledby="accounts">
        <h2 id="accounts">Accounts</h2>
        <ul className="cards">
          {r.accounts.map((a) => (
            <li key={a.id} className="card">
              <p>
                <strong>
                  <Text>@{a.handle}</Text>
                </strong>{' '}
                {a.displayName && <Text>{a.displayName}</Text>} <span className="muted">{words(a.platform)}</span>
              </p>
              {a.url && (
                <p className="muted">
                  <Text>{a.url}</Text>
                </p>
              )}
              {a.bio && (
                <p>
                  <Text>{a.bio}</Text>
                </p>
              )}
              <p className="muted">Organisations: {a.organisations.map((o) => o.name).join(', ') || 'none'}</p>
            </li>
          ))}
        </ul>
        <p>Organisations named: {r.organisations.map((o) => o.name).join(', ') || 'none'}</p>
      </section>

      <section aria-labelledby="evidence">
        <h2 id="evidence">Evidence</h2>
        {r.evidence.length === 0 ? (
          <p className="empty">No evidence shared with you.</p>
        ) : (
          <Table caption="Evidence" columns={['Item', 'Classification', 'Captured', 'SHA-256']}>
            {r.evidence.map((e) => (
              <tr key={e.id}>
                <td>
                  <Text>{e.description ?? 'Evidence'}</Text>
                  {e.url && (
                    <div className="muted">
                      <Text>{e.url}</Text>
                    </div>
                  )}
                </td>
                <td>{words(e.classification)}</td>
                <td>{when(e.capturedAt)}</td>
                <td className="mono">{e.sha256 ? `${e.sha256.slice(0, 16)}…` : '—'}</td>
              </tr>
            ))}
          </Table>
        )}
      </section>

      <Timeline
        entries={r.history}
        detail={(h) => (
          <>
            {h.reasonCode && <span> · reason: {words(h.reasonCode)}</span>}
            {h.action && <span> · action: {words(h.action)}</span>}
            {h.note && <span className="muted"> · {words(h.noteClassification)} note</span>}
          </>
        )}
      />
    </>
  );
}

/** Only the moves the API says this caller may make now; each asks for what it needs. */
function Actions({ request, onChanged }: { request: FullRequest; onChanged(): void }) {
  const me = useMe();
  const [chosen, setChosen] = useState<string | null>(null);
  const [reasonCode, setReasonCode] = useState('');
  const [action, setAction] = useState('');
  const [note, setNote] = useState('');
  const [escalateAs, setEscalateAs] = useState('');
  const [result, update] = useMutation(UPDATE_STATUS);
  const drafter = request.history.find((h) => h.sequence === 0)?.actor;
  const ownDraft = request.status === 'DRAFT' && drafter?.sub === me.sub && drafter.partner.slug === me.partner.slug;
  // A refusal about an older version of the request no longer applies once it is reloaded.
  const answeredBefore = (result.operation?.variables as { input?: { expectedVersion?: number } } | undefined)?.input?.expectedVersion !== request.version;
  const needsNote = chosen === 'SUBMITTED' && request.status === 'INFO_REQUESTED';

  const choose = (to: string) => {
    setChosen(to);
    setReasonCode(REASONS[to]?.[0] ?? '');
    setAction(to === 'ACTIONED' ? ACTIONS[0] : '');
    setNote('');
    setEscalateAs('');
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!chosen) return;
    const outcome = await update({
      input: {
        id: request.id,
        status: chosen,
        expectedVersion: request.version,
        reasonCode: REASONS[chosen] ? reasonCode : undefined,
        action: chosen === 'ACTIONED' ? action : undefined,
        note: note.trim() || undefined,
        escalateAs: chosen === 'ESCALATED' && escalateAs ? escalateAs : undefined,
      },
    });
    if (!outcome.error) {
      setChosen(null);
      onChanged();
    }
  };

  return (
    <section aria-labelledby="actions" className="card actions">
      <h2 id="actions">Actions</h2>
      {request.status === 'DRAFT' && drafter && (
        <p className="rule">
          Two-person rule: drafted by {drafter.sub ?? drafter.partner.name}.{' '}
          {ownDraft ? 'You drafted this request, so another supervisor must approve it.' : 'A supervisor other than the drafter submits it.'}
        </p>
      )}
      {request.allowedTransitions.length === 0 ? (
        <p className="muted">Nothing for you to do on this request now.</p>
      ) : (
        <div className="buttons" role="group" aria-label="Possible moves">
          {request.allowedTransitions.map((to) => (
            <button key={to} type="button" aria-pressed={chosen === to} onClick={() => choose(to)}>
              {VERBS[to] ?? words(to)}
            </button>
          ))}
        </div>
      )}
      {chosen && (
        <form onSubmit={submit} className="move">
          <h3>
            {VERBS[chosen]}: move to {words(chosen)}
          </h3>
          {REASONS[chosen] && (
            <label>
              Reason
              <select value={reasonCode} onChange={(e) => setReasonCode(e.target.value)} required>
                <Options values={REASONS[chosen]} />
              </select>
            </label>
          )}
          {chosen === 'ACTIONED' && (
            <label>
              Action taken
              <select value={action} onChange={(e) => setAction(e.target.value)} required>
                <Options values={ACTIONS} />
              </select>
            </label>
          )}
          {chosen === 'ESCALATED' && (
            <label>
              Escalate as
              <select value={escalateAs} onChange={(e) => setEscalateAs(e.target.value)}>
                <option value="">Keep {words(request.kind)}</option>
                <option value="ORDER">Order</option>
              </select>
            </label>
          )}
          <label>
            {needsNote ? 'Clarification for the platform (required)' : 'Note (optional)'}
            <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={3} required={needsNote} />
          </label>
          <div className="buttons">
            <button type="submit" disabled={result.fetching}>
              Confirm: {VERBS[chosen]}
            </button>
            <button type="button" className="secondary" onClick={() => setChosen(null)}>
              Cancel
            </button>
          </div>
        </form>
      )}
      {result.error && !answeredBefore && <ProblemBox error={result.error} onReload={onChanged} />}
    </section>
  );
}

/**
 * Why PAX asks the requesting agency to look at the request again (its organisation was de-listed).
 * That agency settles each flag with a note; everyone else who may see the request reads the flags.
 */
function ReviewFlags({ request, onChanged }: { request: FullRequest; onChanged(): void }) {
  const me = useMe();
  const settles = abilities(me).agencyCasework && me.partner.slug === request.requestedBy.slug;
  return (
    <section aria-labelledby="review-flags" className="card">
      <h2 id="review-flags">{request.needsReview ? 'Needs review' : 'Review flags'}</h2>
      <ul>
        {request.reviewFlags.map((flag) => (
          <li key={flag.id}>
            <p>
              <Text>{flag.reason}</Text> <span className="muted">(raised {when(flag.raisedAt)})</span>
            </p>
            {flag.acknowledgedAt ? (
              <p className="muted">
                Acknowledged {when(flag.acknowledgedAt)}
                {flag.acknowledgementNote && (
                  <>
                    : <Text>{flag.acknowledgementNote}</Text>
                  </>
                )}
              </p>
            ) : settles ? (
              <AcknowledgeFlag flag={flag} onChanged={onChanged} />
            ) : (
              <p className="muted">Waiting for {request.requestedBy.name} to review it.</p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}

function AcknowledgeFlag({ flag, onChanged }: { flag: ReviewFlag; onChanged(): void }) {
  const [note, setNote] = useState('');
  const [result, acknowledge] = useMutation(ACKNOWLEDGE_REVIEW_FLAG);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!(await acknowledge({ input: { id: flag.id, note } })).error) onChanged();
  };
  return (
    <form onSubmit={submit} className="move">
      <label>
        Why the request stands, or what you do instead (agencies only)
        <textarea value={note} onChange={(e) => setNote(e.target.value)} rows={2} required />
      </label>
      <button type="submit" disabled={result.fetching}>
        Acknowledge the flag
      </button>
      {result.error && <ProblemBox error={result.error} onReload={onChanged} />}
    </form>
  );
}
