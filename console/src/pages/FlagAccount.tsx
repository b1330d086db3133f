import { useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { FLAG_ACCOUNT, ORGANISATIONS } from '../queries';
import { words } from '../format';
import { Options, PageTitle, ProblemBox, Text } from '../ui';

export const PLATFORMS = ['X', 'FACEBOOK', 'INSTAGRAM', 'WHATSAPP', 'TELEGRAM', 'TIKTOK', 'YOUTUBE'];

export function OrganisationChoice({ chosen, onChange }: { chosen: string[]; onChange(ids: string[]): void }) {
  const [{ data }] = useQuery<{ organisations: { nodes: { id: string; name: string }[] } }>({ query: ORGANISATIONS, variables: {} });
  return (
    <fieldset>
      <legend>Organisations</legend>
      {data?.organisations.nodes.map((o) => (
        <label key={o.id} className="check">
          <input
            type="checkbox"
            checked={chosen.includes(o.id)}
            onChange={(e) => onChange(e.target.checked ? [...chosen, o.id] : chosen.filter((id) => id !== o.id))}
          />
          {o.name}
        </label>
      ))}
    </fieldset>
  );
}

/** An analyst flags an account, with evidence; PAX screens it against removed accounts. */
export function FlagAccount() {
  const [platform, setPlatform] = useState('X');
  const [handle, setHandle] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [url, setUrl] = useState('');
  const [organisationIds, setOrganisationIds] = useState<string[]>([]);
  const [distribution, setDistribution] = useState('ALL_AGENCIES');
  const [evidenceUrl, setEvidenceUrl] = useState('');
  const [evidenceDescription, setEvidenceDescription] = useState('');
  const [classification, setClassification] = useState('SHAREABLE');
  const [internalNotes, setInternalNotes] = useState('');
  const [result, flag] = useMutation<{ flagAccount: { id: string; handle: string; platform: string } }>(FLAG_ACCOUNT);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void flag({
      input: {
        platform,
        handle: handle.trim().replace(/^@/, ''),
        displayName: displayName.trim() || undefined,
        url: url.trim() || undefined,
        organisationIds,
        distribution,
        internalNotes: internalNotes.trim() || undefined,
        evidence: evidenceUrl.trim() ? [{ url: evidenceUrl.trim(), description: evidenceDescription.trim() || undefined, classification }] : [],
      },
    });
  };
  const flagged = result.data?.flagAccount;

  return (
    <>
      <PageTitle>Flag an account</PageTitle>
      <form onSubmit={submit} className="form">
        <label>
          Platform
          <select value={platform} onChange={(e) => setPlatform(e.target.value)}>
            <Options values={PLATFORMS} />
          </select>
        </label>
        <label>
          Handle
          <input value={handle} onChange={(e) => setHandle(e.target.value)} required autoComplete="off" />
        </label>
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="off" />
        </label>
        <label>
          Profile URL
          <input type="url" value={url} onChange={(e) => setUrl(e.target.value)} />
        </label>
        <OrganisationChoice chosen={organisationIds} onChange={setOrganisationIds} />
        <fieldset>
          <legend>Distribution</legend>
          <label className="check">
            <input type="radio" name="distribution" checked={distribution === 'ALL_AGENCIES'} onChange={() => setDistribution('ALL_AGENCIES')} />
            All agencies
          </label>
          <label className="check">
            <input type="radio" name="distribution" checked={distribution === 'ORIGINATOR_ONLY'} onChange={() => setDistribution('ORIGINATOR_ONLY')} />
            Your agency only (covert investigation)
          </label>
        </fieldset>
        <fieldset>
          <legend>Evidence</legend>
          <label>
            Evidence URL
            <input type="url" value={evidenceUrl} onChange={(e) => setEvidenceUrl(e.target.value)} />
          </label>
          <label>
            Description
            <input value={evidenceDescription} onChange={(e) => setEvidenceDescription(e.target.value)} />
          </label>
          <label>
            Classification
            <select value={classification} onChange={(e) => setClassification(e.target.value)}>
              <option value="SHAREABLE">Shareable with the platform</option>
              <option value="RESTRICTED">Restricted to agencies</option>
            </select>
          </label>
        </fieldset>
        <label>
          Internal notes (agencies only)
          <textarea value={internalNotes} onChange={(e) => setInternalNotes(e.target.value)} rows={3} />
        </label>
        <button type="submit" disabled={result.fetching}>
          Flag account
        </button>
      </form>
      {result.error && <ProblemBox error={result.error} />}
      {flagged && (
        <p className="success" role="status">
          Flagged <Text>@{flagged.handle}</Text> on {words(flagged.platform)}.{' '}
          <Link to={`/requests/new?account=${flagged.id}`}>Draft a takedown request for it</Link>
        </p>
      )}
    </>
  );
}
