import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * The token lives in this tab's sessionStorage only: it survives a reload or a typed deep link,
 * never reaches a URL, and is gone when the tab closes. Nothing else of the session is stored.
 */
const KEY = 'pax.token';

export interface Me {
  sub: string;
  roles: string[];
  partner: { id: string; slug: string; name: string; kind: 'AGENCY' | 'PLATFORM' | 'OVERSIGHT'; platforms: string[] };
}

interface Session {
  token: string | null;
  me: Me | null;
  signIn(token: string, me: Me): void;
  signOut(): void;
}

const SessionContext = createContext<Session | null>(null);

function storedToken(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(storedToken);
  const [me, setMe] = useState<Me | null>(null);
  const signIn = useCallback((next: string, who: Me) => {
    sessionStorage.setItem(KEY, next);
    setToken(next);
    setMe(who);
  }, []);
  const signOut = useCallback(() => {
    sessionStorage.removeItem(KEY);
    setToken(null);
    setMe(null);
  }, []);
  const value = useMemo(() => ({ token, me, signIn, signOut }), [token, me, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}

/** Signed-in views only: the principal is known there. */
export function useMe(): Me {
  const { me } = useSession();
  if (!me) throw new Error('useMe before sign-in');
  return me;
}

const AGENCY_CASEWORK = ['AGENCY_ANALYST', 'AGENCY_SUPERVISOR', 'AGENCY_SYSTEM'];
const PLATFORM_CASEWORK = ['PLATFORM_REVIEWER', 'PLATFORM_SYSTEM'];

/** What the API lets each role reach; the console offers no more (the API checks it again). */
export function abilities(me: Me) {
  const has = (roles: string[]) => me.roles.some((r) => roles.includes(r));
  return {
    agencyCasework: has(AGENCY_CASEWORK),
    platformCasework: has(PLATFORM_CASEWORK),
    casework: has([...AGENCY_CASEWORK, ...PLATFORM_CASEWORK]),
    decides: has(['AGENCY_SUPERVISOR', 'AGENCY_SYSTEM']),
    disclosures: has([...AGENCY_CASEWORK, 'AGENCY_DISCLOSURE_READER', ...PLATFORM_CASEWORK]),
    opensDisclosures: has(['AGENCY_DISCLOSURE_READER', ...PLATFORM_CASEWORK]),
    report: has(['AUDITOR', ...AGENCY_CASEWORK, ...PLATFORM_CASEWORK]),
  };
}
