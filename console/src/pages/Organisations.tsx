import { useState } from 'react';
import { useQuery } from 'urql';
import { ORGANISATIONS } from '../queries';
import { Empty, Loading, PageTitle, Pager, ProblemBox, Text } from '../ui';

interface Organisation {
  id: string;
  name: string;
  aliases: string[];
  internalNotes: string | null;
  designations: { id: string; authority: string; reference: string; designatedOn: string }[];
}

export function Organisations() {
  const [search, setSearch] = useState('');
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [{ data, fetching, error }] = useQuery<{
    organisations: { totalCount: number; pageInfo: { endCursor: string | null; hasNextPage: boolean }; nodes: Organisation[] };
  }>({ query: ORGANISATIONS, variables: { filter: search.trim() ? { search: search.trim() } : undefined, after: cursors[cursors.length - 1] } });
  const page = data?.organisations;
  return (
    <>
      <PageTitle>Designated organisations</PageTitle>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search names and aliases
          <input
            type="search"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setCursors([null]);
            }}
          />
        </label>
      </form>
      {error && <ProblemBox error={error} />}
      {!page && fetching && <Loading what="organisations" />}
      {page && page.nodes.length === 0 && <Empty>No organisation matches.</Empty>}
      {page && page.nodes.length > 0 && (
        <>
          <ul className="cards">
            {page.nodes.map((o) => (
              <li key={o.id} className="card">
                <h2>{o.name}</h2>
                {o.aliases.length > 0 && (
                  <p className="muted">
                    Also: {o.aliases.map((a, i) => (
                      <span key={i}>
                        {i > 0 && ', '}
                        <Text>{a}</Text>
                      </span>
                    ))}
                  </p>
                )}
                <table>
                  <caption className="visually-hidden">Designations of {o.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">Authority</th>
                      <th scope="col">Reference</th>
                      <th scope="col">Designated on</th>
                    </tr>
                  </thead>
                  <tbody>
                    {o.designations.map((d) => (
                      <tr key={d.id}>
                        <td>{d.authority}</td>
                        <td>
                          <Text>{d.reference}</Text>
                        </td>
                        <td>{d.designatedOn}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
                {o.internalNotes && (
                  <p>
                    <strong>Internal notes:</strong> <Text>{o.internalNotes}</Text>
                  </p>
                )}
              </li>
            ))}
          </ul>
          <Pager cursors={cursors} hasNextPage={page.pageInfo.hasNextPage} endCursor={page.pageInfo.endCursor} onChange={setCursors} />
        </>
      )}
    </>
  );
}
