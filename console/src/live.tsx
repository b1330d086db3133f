import { createContext, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import { useSubscription } from 'urql';
import { STATUS_CHANGED } from './queries';
import { shortId, words } from './format';

interface StatusEvent {
  takedownStatusChanged: {
    request: { id: string; status: string; version: number; platform: string };
    entry: { fromStatus: string | null; toStatus: string; actor: { partner: { name: string } } };
  };
}

interface Live {
  /** Grows with every change delivered; open views re-read when it moves. */
  tick: number;
  notices: { id: number; text: string; requestId: string }[];
  dismiss(id: number): void;
}

const LiveContext = createContext<Live>({ tick: 0, notices: [], dismiss: () => undefined });

export const useLive = () => useContext(LiveContext);

/** Re-runs `refetch` whenever a status change arrives, without the page reloading. */
export function useLiveRefetch(refetch: () => void): void {
  const { tick } = useLive();
  const latest = useRef(refetch);
  latest.current = refetch;
  useEffect(() => {
    if (tick > 0) latest.current();
  }, [tick]);
}

/** Holds the one takedownStatusChanged subscription of the session (casework roles only). */
export function LiveProvider({ enabled, children }: { enabled: boolean; children: ReactNode }) {
  const [tick, setTick] = useState(0);
  const [notices, setNotices] = useState<Live['notices']>([]);
  const [{ data }] = useSubscription<StatusEvent>({ query: STATUS_CHANGED, pause: !enabled });
  useEffect(() => {
    if (!data) return;
    const { request, entry } = data.takedownStatusChanged;
    const id = Date.now() + Math.random();
    const text = `Request …${shortId(request.id)} is now ${words(entry.toStatus)} (${entry.actor.partner.name}).`;
    setNotices((current) => [...current.slice(-3), { id, text, requestId: request.id }]);
    setTick((t) => t + 1);
  }, [data]);
  const dismiss = (id: number) => setNotices((current) => current.filter((n) => n.id !== id));
  return <LiveContext.Provider value={{ tick, notices, dismiss }}>{children}</LiveContext.Provider>;
}
