const dateTime = new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });

export const when = (iso: string | null | undefined): string => (iso ? `${dateTime.format(new Date(iso))} UTC` : '—');

/** "in 3 h 20 min" or "5 min overdue". */
export function countdown(deadline: string, now: number): string {
  const ms = new Date(deadline).getTime() - now;
  const minutes = Math.round(Math.abs(ms) / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const parts = days ? `${days} d ${hours} h` : hours ? `${hours} h ${minutes % 60} min` : `${minutes} min`;
  return ms >= 0 ? `in ${parts}` : `${parts} overdue`;
}

export const words = (constant: string): string => constant.charAt(0) + constant.slice(1).toLowerCase().replace(/_/g, ' ');

export const shortId = (id: string): string => id.slice(-8);
