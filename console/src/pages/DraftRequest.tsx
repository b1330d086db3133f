import { useMemo, useState, type FormEvent } from 'react';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { ACCOUNTS, CREATE_REQUEST } from '../queries';
import { words } from '../format';
import { Empty, Loading, PageTitle, ProblemBox, Text } from '../ui';
import { OrganisationChoice } from './FlagAccount';

interface AccountRow {
  id: string;
  handle: string;
  platform: string;
  displayName: string | null;
  organisations: { name: string }[];
}

/** An analyst drafts a request; a supervisor other than the drafter submits it (Approvals). */
export function DraftRequest() {
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [accountIds, setAccountIds] = useState<string[]>(() => params.getAll('account'));
  const [kind, setKind] = useState('REFERRAL');
  const [priority, setPriority] = useState('STANDARD');
  const [instrument, setInstrument] = useState('PECA 2016');
  const [section, setSection] = useState('s.37');
  const [reasons, setReasons] = useState('');
  const [organisationIds, setOrganisationIds] = useState<string[]>([]);
  const [internalNotes, setInternalNotes] = useState('');
  // One key per form: a double click or a retry after a lost answer drafts once.
  const idempotencyKey = useMemo(() => crypto.randomUUID(), []);
  const [accounts] = useQuery<{ accounts: { nodes: AccountRow[] } }>({ query: ACCOUNTS, variables: {} });
  const [result, create] = useMutation<{ createTakedownRequest: { id: string } }>(CREATE_REQUEST);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const outcome = await create({
      input: {
        accountIds,
        kind,
        priority,
        legalBasis: { instrument: instrument.trim(), section: section.trim() || undefined },
        reasons: reasons.split('\n').map((r) => r.trim()).filter(Boolean),
        organisationIds: organisationIds.length ? organisationIds : undefined,
        internalNotes: internalNotes.trim() || undefined,
        idempotencyKey,
      },
    });
    if (outcome.data) navigate(`/requests/${outcome.data.createTakedownRequest.id}`);
  };

  const rows = accounts.data?.accounts.nodes;
  return (
    <>
      <PageTitle>Draft a takedown request</PageTitle>
      <form onSubmit={submit} className="form">
        <fieldset>
          <legend>Accounts (one platform per request)</legend>
          {accounts.error && <ProblemBox error={accounts.error} />}
          {!rows && accounts.fetching && <Loading what="accounts" />}
          {rows && rows.length === 0 && <Empty>No flagged accounts yet: flag one first.</Empty>}
          {rows?.map((a) => (
            <label key={a.id} className="check">
              <input
                type="checkbox"
                checked={accountIds.includes(a.id)}
                onChange={(e) => setAccountIds(e.target.checked ? [...accountIds, a.id] : accountIds.filter((id) => id !== a.id))}
              />
              <Text>@{a.handle}</Text> ({words(a.platform)}){a.organisations.length > 0 && ` · ${a.organisations.map((o) => o.name).join(', ')}`}
            </label>
          ))}
        </fieldset>
        <label>
          Kind
          <select value={kind} onChange={(e) => setKind(e.target.value)}>
            <option value="REFERRAL">Referral (judged against the platform's terms)</option>
            <option value="ORDER">Order (legally binding)</option>
          </select>
        </label>
        <label>
          Priority
          <select value={priority} onChange={(e) => setPriority(e.target.value)}>
            <option value="STANDARD">Standard</option>
            <option value="EMERGENCY">Emergency</option>
          </select>
        </label>
        <label>
          Legal instrument
          <input value={instrument} onChange={(e) => setInstrument(e.target.value)} required />
        </label>
        <label>
          Section
          <input value={section} onChange={(e) => setSection(e.target.value)} />
        </label>
        <label>
          Reasons (one a line)
          <textarea value={reasons} onChange={(e) => setReasons(e.target.value)} rows={3} required />
        </label>
        <OrganisationChoice chosen={organisationIds} onChange={setOrganisationIds} />
        <label>
          Internal notes (agencies only)
          <textarea value={internalNotes} onChange={(e) => setInternalNotes(e.target.value)} rows={2} />
        </label>
        <button type="submit" disabled={result.fetching || accountIds.length === 0}>
          Save draft
        </button>
      </form>
      {result.error && <ProblemBox error={result.error} />}
    </>
  );
}
