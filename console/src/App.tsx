import { useEffect, useMemo } from 'react';
import { Link, NavLink, Navigate, Route, Routes } from 'react-router';
import { Provider, useQuery } from 'urql';
import { paxClient } from './client';
import { abilities, useSession, type Me } from './session';
import { ME } from './queries';
import { LiveProvider, useLive } from './live';
import { ProblemBox, Loading } from './ui';
import { words } from './format';
import { SignIn } from './pages/SignIn';
import { Queue } from './pages/Queue';
import { RequestPage } from './pages/RequestPage';
import { Alerts } from './pages/Alerts';
import { Organisations } from './pages/Organisations';
import { FlagAccount } from './pages/FlagAccount';
import { DraftRequest } from './pages/DraftRequest';
import { Approvals } from './pages/Approvals';
import { Disclosures, DisclosurePage } from './pages/Disclosures';
import { Report } from './pages/Report';

export function App() {
  const { token } = useSession();
  const connection = useMemo(() => (token ? paxClient(token) : null), [token]);
  useEffect(() => () => connection?.dispose(), [connection]);
  if (!connection) return <SignIn />;
  return (
    <Provider value={connection.client}>
      <Restore />
    </Provider>
  );
}

/** A stored token (reload, typed deep link) is checked with `me` before anything else shows. */
function Restore() {
  const { me, signIn, signOut, token } = useSession();
  const [{ data, error }] = useQuery<{ me: Me }>({ query: ME, pause: !!me, requestPolicy: 'network-only' });
  useEffect(() => {
    if (data && token && !me) signIn(token, data.me);
  }, [data, token, me, signIn]);
  if (me) return <Signed me={me} />;
  if (error) {
    return (
      <main className="narrow">
        <h1>PAX console</h1>
        <ProblemBox error={error} />
        <button type="button" onClick={signOut}>
          Sign in again
        </button>
      </main>
    );
  }
  return <Loading what="your session" />;
}

function Signed({ me }: { me: Me }) {
  const can = abilities(me);
  return (
    <LiveProvider enabled={can.casework}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <Header me={me} />
      <Notices />
      <main id="main">
        <Routes>
          <Route path="/" element={<Navigate replace to={can.casework ? '/queue' : can.disclosures ? '/disclosures' : '/organisations'} />} />
          <Route path="/sign-in" element={<Navigate replace to="/" />} />
          {can.casework && <Route path="/queue" element={<Queue />} />}
          {can.casework && <Route path="/requests/:id" element={<RequestPage />} />}
          {can.agencyCasework && <Route path="/requests/new" element={<DraftRequest />} />}
          {can.agencyCasework && <Route path="/accounts/new" element={<FlagAccount />} />}
          {can.decides && <Route path="/approvals" element={<Approvals />} />}
          {can.casework && <Route path="/alerts" element={<Alerts />} />}
          {can.disclosures && <Route path="/disclosures" element={<Disclosures />} />}
          {can.disclosures && <Route path="/disclosures/:id" element={<DisclosurePage />} />}
          {can.report && <Route path="/report" element={<Report />} />}
          <Route path="/organisations" element={<Organisations />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </main>
    </LiveProvider>
  );
}

function Header({ me }: { me: Me }) {
  const { signOut } = useSession();
  const can = abilities(me);
  const link = (to: string, label: string) => (
    <li>
      <NavLink to={to}>{label}</NavLink>
    </li>
  );
  return (
    <header className="top">
      <Link to="/" className="brand">
        PAX
      </Link>
      <nav aria-label="Main">
        <ul>
          {can.casework && link('/queue', can.platformCasework ? 'Queue' : 'Requests')}
          {can.decides && link('/approvals', 'Approvals')}
          {can.agencyCasework && link('/accounts/new', 'Flag account')}
          {can.agencyCasework && link('/requests/new', 'Draft request')}
          {can.casework && link('/alerts', 'Mirror alerts')}
          {link('/organisations', 'Organisations')}
          {can.disclosures && link('/disclosures', 'Disclosures')}
          {can.report && link('/report', 'Report')}
        </ul>
      </nav>
      <div className="who" role="group" aria-label="Signed in as">
        <span className="sub">{me.sub}</span>
        <span>
          {me.partner.name} ({words(me.partner.kind)})
        </span>
        <span className="roles">{me.roles.map(words).join(', ')}</span>
        <button type="button" onClick={signOut}>
          Sign out
        </button>
      </div>
    </header>
  );
}

/** Live changes, announced politely to screen readers; each links to the request. */
function Notices() {
  const { notices, dismiss } = useLive();
  return (
    <div className="notices" role="status" aria-live="polite">
      {notices.map((n) => (
        <p key={n.id} className="notice">
          <Link to={`/requests/${n.requestId}`}>{n.text}</Link>
          <button type="button" aria-label="Dismiss notice" onClick={() => dismiss(n.id)}>
            ×
          </button>
        </p>
      ))}
    </div>
  );
}

function NotFoundPage() {
  return (
    <>
      <h1>Not found</h1>
      <p>There is no such page, or it is not open to your role.</p>
    </>
  );
}
