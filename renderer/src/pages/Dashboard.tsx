// Dashboard: the selected run's KPIs, live charts and, next to them, its enriched profiles.
import { useEffect, useMemo, useState } from 'react';
import type { MetricPointDto, RunDetailDto } from '@contract/contract';
import { useApp } from '../context';
import { useLive } from '../state/live';
import { Card, Empty, ErrorNote, Kpi, Progress, StatusBadge } from '../components/ui';
import { CategoryBars, HorizontalBars, TimeChart } from '../components/charts';
import { ProfileTable } from '../components/ProfileTable';
import { CustomerPanel } from '../components/CustomerPanel';
import { compact, duration, money, percent, shortTime } from '../format';

function series(points: MetricPointDto[], names: string[], scale = 1): Record<string, number>[] {
  return points.map((p) => {
    const row: Record<string, number> = { t: p.t };
    for (const n of names) row[n] = (p.values[n] ?? 0) * scale;
    return row;
  });
}

export function Dashboard() {
  const { client, live, params, navigate } = useApp();
  const snap = useLive(live);
  const runs = snap.jobs.filter((j) => j.kind === 'run');
  const selectedId = params.run ?? runs.find((r) => r.status === 'running')?.id ?? runs.find((r) => r.status === 'finished')?.id ?? runs[0]?.id;
  const [detail, setDetail] = useState<RunDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [customer, setCustomer] = useState<number | null>(null);
  const liveJob = selectedId ? snap.live[selectedId] : undefined;
  const summary = runs.find((r) => r.id === selectedId);
  const status = summary?.status;

  useEffect(() => {
    if (!selectedId) return;
    let cancelled = false;
    client.call('getRun', { id: selectedId }).then(
      (d) => !cancelled && (setDetail(d), setError(null)),
      (e: Error) => !cancelled && setError(e.message),
    );
    return () => {
      cancelled = true;
    };
  }, [client, selectedId, status]);

  // Stored points plus whatever arrived live since they were read.
  const points = useMemo(() => {
    const byT = new Map<number, MetricPointDto>();
    for (const p of detail && detail.id === selectedId ? detail.points : []) byT.set(p.t, p);
    for (const p of liveJob?.points ?? []) byT.set(p.t, p);
    return [...byT.values()].sort((a, b) => a.t - b.t);
  }, [detail, liveJob, selectedId]);

  if (!selectedId)
    return (
      <Empty>
        No runs yet. Open <a onClick={() => navigate('scenarios')}>Scenarios</a> and run <strong>seed-demo</strong>.
      </Empty>
    );

  const k = detail?.id === selectedId && status === 'finished' ? detail.kpis : null;
  const peak = (name: string) => points.reduce((m, p) => Math.max(m, p.values[name] ?? 0), 0);
  // The grain of the points actually shown: a detail read before the run's first points still carries the
  // store's default grain (60 s), while the live points may be finer (15 s for seed-demo) — using the
  // stale one inflated the running totals fourfold.
  const detailHasPoints = detail?.id === selectedId && detail.points.length > 0;
  const grain = (detailHasPoints ? detail.grainSeconds : undefined) ?? liveJob?.grainSeconds ?? detail?.grainSeconds ?? 60;
  const accepted = points.reduce((a, p) => a + (p.values.AcceptedEvents ?? 0) * grain, 0);
  const offered = points.reduce((a, p) => a + (p.values.OfferedEvents ?? 0) * grain, 0);
  const slices = detail && detail.id === selectedId ? detail.slices : [];

  return (
    <div className="page dashboard">
      <div className="page-head">
        <div>
          <h1>Dashboard</h1>
          <p className="muted">
            Run <span className="mono">{selectedId}</span> · {summary?.scenario} · started {shortTime(summary?.createdAt ?? null)} {summary && <StatusBadge status={summary.status} />}
          </p>
        </div>
        <div className="page-actions">
          <select value={selectedId} onChange={(e) => navigate('dashboard', { run: e.target.value })} aria-label="run" data-testid="dashboard-run-select">
            {runs.map((r) => (
              <option key={r.id} value={r.id}>
                {r.scenario} · {shortTime(r.createdAt)} · {r.status}
              </option>
            ))}
          </select>
          {status === 'running' && (
            <button className="btn btn-danger" onClick={() => void client.call('stopJob', { id: selectedId })}>
              Stop
            </button>
          )}
        </div>
      </div>
      {status === 'running' && <Progress value={summary?.progress ?? 0} label={liveJob?.message || 'running'} />}
      <ErrorNote error={error ?? summary?.error ?? null} />
      <div className="kpis" data-testid="kpis">
        <Kpi label="Events sent" value={compact(k?.eventsSent ?? offered)} hint={k ? undefined : 'so far (offered)'} />
        <Kpi label="Accepted" value={k ? percent(k.acceptedShare) : compact(accepted)} hint={k ? `${compact(k.eventsAccepted)} events` : 'events so far'} tone={k && (k.acceptedShare ?? 1) < 0.95 ? 'bad' : 'good'} />
        <Kpi label="Peak accepted/s" value={compact(k?.peakAcceptedPerSecond ?? peak('AcceptedEvents'))} />
        <Kpi label="Peak backlog" value={compact(k?.peakBacklog ?? peak('BackloggedInputEvents'))} hint="events waiting for ASA" />
        <Kpi label="Latency p95" value={duration(k?.latencyP95Ms)} hint="enqueue → enriched profile" />
        <Kpi label="Accuracy" value={percent(k?.accuracy)} hint={k ? `macro-F1 ${compact(k.macroF1)}` : undefined} />
        <Kpi label="Slices on time" value={k ? `${k.slicesDeadlineMet ?? 0}/${k.slices ?? 0}` : '—'} tone={k && k.slicesDeadlineMet !== k.slices ? 'bad' : 'good'} />
        <Kpi label="Cost / hour" value={money(k?.costPerHour)} hint={k ? `run total ${money(k.costTotal)}` : undefined} />
      </div>
      <div className="dash-grid">
        <div className="charts">
          <Card title="Ingestion throughput" subtitle="Event Hubs: offered, accepted, throttled (events/s)">
            <TimeChart
              testId="chart-ingestion"
              data={series(points, ['OfferedEvents', 'AcceptedEvents', 'ThrottledEvents'])}
              unit="events/s"
              series={[
                { key: 'OfferedEvents', name: 'offered', color: '#64748b' },
                { key: 'AcceptedEvents', name: 'accepted', color: '#16a34a' },
                { key: 'ThrottledEvents', name: 'throttled', color: '#dc2626' },
              ]}
            />
          </Card>
          <Card title="Stream Analytics rate" subtitle="input and output events/s">
            <TimeChart
              testId="chart-asa"
              data={series(points, ['InputEvents', 'OutputEvents'])}
              unit="events/s"
              series={[
                { key: 'InputEvents', name: 'input', color: '#2563eb' },
                { key: 'OutputEvents', name: 'output', color: '#9333ea' },
              ]}
            />
          </Card>
          <Card title="Backlog" subtitle="events in the hub not yet read by the job">
            <TimeChart testId="chart-backlog" data={series(points, ['BackloggedInputEvents'])} unit="events" series={[{ key: 'BackloggedInputEvents', name: 'backlog', color: '#ea580c' }]} />
          </Card>
          <Card title="Watermark delay" subtitle="event-time lag of the job (s)">
            <TimeChart testId="chart-watermark" data={series(points, ['WatermarkDelay'], 1 / 1000)} unit="seconds" series={[{ key: 'WatermarkDelay', name: 'watermark delay', color: '#0891b2' }]} />
          </Card>
          <Card title="End-to-end latency per slice" subtitle="enqueue → enriched profile written">
            {slices.length === 0 ? (
              <Empty>Appears as slices finish.</Empty>
            ) : (
              <CategoryBars
                testId="chart-latency"
                data={slices.map((s) => ({ slice: `#${s.index + 1}`, p50: (s.latencyP50Ms ?? 0) / 60000, p95: (s.latencyP95Ms ?? 0) / 60000, p99: (s.latencyP99Ms ?? 0) / 60000 }))}
                x="slice"
                xLabel="slice"
                unit="minutes"
                series={[
                  { key: 'p50', name: 'p50', color: '#93c5fd' },
                  { key: 'p95', name: 'p95', color: '#3b82f6' },
                  { key: 'p99', name: 'p99', color: '#1e3a8a' },
                ]}
              />
            )}
          </Card>
          <Card title="Scoring accuracy per slice" subtitle="predicted vs. what customers bought next">
            {slices.length === 0 ? (
              <Empty>Appears as slices are scored.</Empty>
            ) : (
              <CategoryBars
                testId="chart-accuracy"
                data={slices.map((s) => ({ slice: `#${s.index + 1}`, accuracy: s.accuracy ?? 0, macroF1: s.macroF1 ?? 0 }))}
                x="slice"
                xLabel="slice"
                unit="share"
                format={(v) => percent(v, 0)}
                series={[
                  { key: 'accuracy', name: 'accuracy', color: '#16a34a' },
                  { key: 'macroF1', name: 'macro-F1', color: '#ca8a04' },
                ]}
              />
            )}
          </Card>
          <Card title="Cost" subtitle={detail?.cost ? `${money(detail.cost.perHour)} per hour · ${money(detail.cost.total)} this run` : 'priced when the run finishes'} className="span-2">
            {!detail?.cost ? (
              <Empty>Appears when the run finishes.</Empty>
            ) : (
              <HorizontalBars testId="chart-cost" data={detail.cost.lines.map((l) => ({ name: l.item, value: l.cost }))} valueLabel={`cost this run (${detail.cost.currency})`} color="#9333ea" format={(v) => money(v)} />
            )}
          </Card>
        </div>
        <Card title="Enriched profiles" subtitle={status === 'finished' ? 'click a customer for history and why' : 'written when the run finishes'} className="profiles-card">
          {status === 'finished' ? <ProfileTable runId={selectedId} onOpen={setCustomer} /> : <Empty>Profiles appear when the run finishes.</Empty>}
        </Card>
      </div>
      {customer !== null && <CustomerPanel runId={selectedId} customerId={customer} onClose={() => setCustomer(null)} />}
    </div>
  );
}
