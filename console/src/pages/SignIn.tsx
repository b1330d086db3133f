import { useEffect, useState, type FormEvent } from 'react';
import { useSession, type Me } from '../session';
import { ME } from '../queries';
import { words } from '../format';

interface Persona {
  label: string;
  partner: string;
  sub: string;
  roles: string[];
  token: string;
}

/** Asks `me` with the token; the API, not the console, decides whether it is good. */
async function whoIs(token: string): Promise<Me> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: ME }),
      credentials: 'omit',
    });
  } catch {
    throw new Error('PAX cannot be reached. Check your connection and try again.');
  }
  const body = (await response.json().catch(() => ({}))) as { data?: { me: Me }; errors?: { message: string }[] };
  if (body.data?.me) return body.data.me;
  if (response.status === 401) throw new Error(`PAX refused this token: ${body.errors?.[0]?.message ?? 'it is not valid'}. Paste a current one.`);
  throw new Error(body.errors?.[0]?.message ?? `PAX answered ${response.status}.`);
}

export function SignIn() {
  const { signIn } = useSession();
  const [token, setToken] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [personas, setPersonas] = useState<Persona[]>([]);

  // Offered only by a development server; production answers 404 and the list stays empty.
  useEffect(() => {
    fetch('/console/demo-personas.json', { credentials: 'omit' })
      .then((r) => (r.ok ? r.json() : { personas: [] }))
      .then((body: { personas: Persona[] }) => setPersonas(body.personas ?? []))
      .catch(() => setPersonas([]));
  }, []);

  const use = async (candidate: string) => {
    setBusy(true);
    setProblem(null);
    try {
      signIn(candidate, await whoIs(candidate));
    } catch (error) {
      setProblem((error as Error).message);
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const trimmed = token.trim().replace(/^Bearer\s+/i, '');
    if (!trimmed) {
      setProblem('Paste your PAX token first.');
      return;
    }
    void use(trimmed);
  };

  return (
    <main id="main" className="narrow">
      <h1>Sign in to the PAX console</h1>
      <p>The console is a client of the PAX API: it can do exactly what your token allows there, nothing more.</p>
      <form onSubmit={submit} className="card">
        <label htmlFor="token">Your PAX token</label>
        <textarea
          id="token"
          rows={4}
          value={token}
          onChange={(e) => setToken(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          aria-describedby="token-help"
        />
        <p id="token-help" className="muted">
          Kept in this browser tab only, and forgotten when you sign out or close the tab.
        </p>
        <button type="submit" disabled={busy}>
          Sign in
        </button>
      </form>
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {personas.length > 0 && (
        <section className="card" aria-labelledby="personas">
          <h2 id="personas">Demo personas (development only)</h2>
          <ul className="personas">
            {personas.map((p) => (
              <li key={p.sub}>
                <button type="button" disabled={busy} onClick={() => void use(p.token)}>
                  {p.label}
                </button>
                <span className="muted">
                  {' '}
                  {p.partner} / {p.sub} · {p.roles.map(words).join(', ')}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </main>
  );
}
