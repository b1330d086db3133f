import { useState } from 'react';
import { useQuery } from 'urql';
import { ORGANISATIONS } from '../queries';
import { Listing, PageTitle, Table, Text, useCursors, type Connection } from '../ui';

interface Organisation {
  id: string;
  name: string;
  aliases: string[];
  internalNotes: string | null;
  designations: { id: string; authority: string; reference: string; designatedOn: string }[];
}

export function Organisations() {
  const [search, setSearch] = useState('');
  const paging = useCursors();
  const [{ data, fetching, error }] = useQuery<{ organisations: Connection<Organisation> }>({
    query: ORGANISATIONS,
    variables: { filter: search.trim() ? { search: search.trim() } : undefined, after: paging.after },
  });
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
              paging.restart();
            }}
          />
        </label>
      </form>
      <Listing page={data?.organisations} fetching={fetching} error={error} what="organisations" empty="No organisation matches." paging={paging}>
        {(nodes) => (
          <ul className="cards">
            {nodes.map((o) => (
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
                <Table caption={`Designations of ${o.name}`} columns={['Authority', 'Reference', 'Designated on']}>
                  {o.designations.map((d) => (
                    <tr key={d.id}>
                      <td>{d.authority}</td>
                      <td>
                        <Text>{d.reference}</Text>
                      </td>
                      <td>{d.designatedOn}</td>
                    </tr>
                  ))}
                </Table>
                {o.internalNotes && (
                  <p>
                    <strong>Internal notes:</strong> <Text>{o.internalNotes}</Text>
                  </p>
                )}
              </li>
            ))}
          </ul>
        )}
      </Listing>
    </>
  );
}
