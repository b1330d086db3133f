import { useMemo } from 'react';
import { useQuery } from 'urql';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { REPORT_FIGURES, reportSeries } from '../queries';
import { words } from '../format';
import { Loading, PageTitle, ProblemBox, Table } from '../ui';
import { PLATFORMS } from './FlagAccount';

const MONTHS = 12;

interface Figures {
  requests: number;
  accounts: number;
  overdueNow: number;
  medianHoursToAction: number | null;
  p90HoursToAction: number | null;
  shareAnsweredInTime: number | null;
  withdrawn: number;
  reinstated: number;
  byPlatform: { key: string; requests: number; accounts: number }[];
  actionedByAction: { key: string; count: number }[];
  rejectedByReason: { key: string; count: number }[];
}

type Slice = { requests: number; medianHoursToAction: number | null; p90HoursToAction: number | null };

/** The first instants of the last twelve months (UTC), and the next month's, as period bounds. */
function monthBounds(now: Date): { label: string; from: string; to: string }[] {
  return Array.from({ length: MONTHS }, (_, i) => {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - (MONTHS - 1 - i), 1));
    const to = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1));
    return { label: from.toLocaleString('en-GB', { month: 'short', year: '2-digit', timeZone: 'UTC' }), from: from.toISOString(), to: to.toISOString() };
  });
}

const hours = (value: number | null) => (value === null ? '—' : value < 1 ? `${Math.round(value * 60)} min` : `${value.toFixed(1)} h`);

/** The transparency report over the requests you may see: charts where a table would read worse. */
export function Report() {
  const months = useMemo(() => monthBounds(new Date()), []);
  const period = { from: months[0].from, to: months[MONTHS - 1].to };
  const [figures] = useQuery<{ transparencyReport: Figures }>({ query: REPORT_FIGURES, variables: period });
  const [overTime] = useQuery<Record<string, Slice>>({ query: useMemo(() => reportSeries(months.map((m, i) => ({ alias: `m${i}`, ...m }))), [months]) });
  const [byPlatform] = useQuery<Record<string, Slice>>({
    query: useMemo(() => reportSeries(PLATFORMS.map((p) => ({ alias: p, platform: p, ...period }))), [period.from, period.to]),
  });

  const error = figures.error ?? overTime.error ?? byPlatform.error;
  const f = figures.data?.transparencyReport;
  const monthly = overTime.data ? months.map((m, i) => ({ month: m.label, requests: overTime.data![`m${i}`].requests })) : null;
  const platformTimes = byPlatform.data
    ? PLATFORMS.map((p) => ({ platform: words(p), ...byPlatform.data![p] })).filter((p) => p.requests > 0)
    : null;

  return (
    <>
      <PageTitle>Transparency report</PageTitle>
      <p className="muted">
        Requests submitted in the last {MONTHS} months that you may see. Figures are computed by PAX; the console only draws them.
      </p>
      {error && <ProblemBox error={error} />}
      {!f && figures.fetching && <Loading what="the report" />}
      {f && (
        <dl className="figures">
          <div>
            <dt>Requests</dt>
            <dd>{f.requests}</dd>
          </div>
          <div>
            <dt>Accounts named</dt>
            <dd>{f.accounts}</dd>
          </div>
          <div>
            <dt>Overdue now</dt>
            <dd>{f.overdueNow}</dd>
          </div>
          <div>
            <dt>Median time to action</dt>
            <dd>{hours(f.medianHoursToAction)}</dd>
          </div>
          <div>
            <dt>90th percentile</dt>
            <dd>{hours(f.p90HoursToAction)}</dd>
          </div>
          <div>
            <dt>Answered in time</dt>
            <dd>{f.shareAnsweredInTime === null ? '—' : `${Math.round(f.shareAnsweredInTime * 100)}%`}</dd>
          </div>
        </dl>
      )}
      <section aria-labelledby="over-time" className="card">
        <h2 id="over-time">Requests over time</h2>
        {monthly ? (
          <figure>
            <div className="chart" role="img" aria-label={`Requests submitted per month: ${monthly.map((m) => `${m.month} ${m.requests}`).join(', ')}`}>
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={monthly} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="month" />
                  <YAxis allowDecimals={false} />
                  <Tooltip />
                  <Bar isAnimationActive={false} dataKey="requests" name="Requests" fill="#1f5f99" />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <figcaption className="muted">Submitted requests per calendar month (UTC).</figcaption>
          </figure>
        ) : (
          !overTime.error && <Loading what="the monthly series" />
        )}
      </section>
      <section aria-labelledby="time-to-action" className="card">
        <h2 id="time-to-action">Time to action by platform</h2>
        {platformTimes && platformTimes.length === 0 && <p className="empty">No requests in the period.</p>}
        {platformTimes && platformTimes.length > 0 && (
          <figure>
            <div
              className="chart"
              role="img"
              aria-label={`Hours from submission to action: ${platformTimes.map((p) => `${p.platform} median ${hours(p.medianHoursToAction)}, 90th percentile ${hours(p.p90HoursToAction)}`).join('; ')}`}
            >
              <ResponsiveContainer width="100%" height={260}>
                <BarChart data={platformTimes} accessibilityLayer={false}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="platform" />
                  <YAxis tickFormatter={(v: number) => hours(v)} width={70} />
                  <Tooltip formatter={(v) => hours(Number(v))} />
                  <Legend />
                  <Bar isAnimationActive={false} dataKey="medianHoursToAction" name="Median hours" fill="#1f5f99" />
                  <Bar isAnimationActive={false} dataKey="p90HoursToAction" name="90th percentile hours" fill="#b8860b" />
                </BarChart>
              </ResponsiveContainer>
            </div>
            <figcaption className="muted">Hours from submission to the first ACTIONED answer; platforms without actioned requests show no bar.</figcaption>
          </figure>
        )}
      </section>
      {f && (
        <section aria-labelledby="outcomes" className="card">
          <h2 id="outcomes">Outcomes</h2>
          <Table caption="Outcomes" columns={['Outcome', 'Requests']}>
              {f.actionedByAction.map((a) => (
                <tr key={`a-${a.key}`}>
                  <td>Actioned: {words(a.key)}</td>
                  <td>{a.count}</td>
                </tr>
              ))}
              {f.rejectedByReason.map((r) => (
                <tr key={`r-${r.key}`}>
                  <td>Rejected: {words(r.key)}</td>
                  <td>{r.count}</td>
                </tr>
              ))}
              <tr>
                <td>Withdrawn</td>
                <td>{f.withdrawn}</td>
              </tr>
              <tr>
                <td>Reinstated</td>
                <td>{f.reinstated}</td>
              </tr>
          </Table>
        </section>
      )}
    </>
  );
}
