// Runs: the history (SQLite in the workspace), and two runs compared side by side.
import { useEffect, useState } from 'react';
import type { RunDetailDto } from '@contract/contract';
import { useApp } from '../context';
import { useLive } from '../state/live';
import { Card, Empty, StatusBadge } from '../components/ui';
import { compact, download, duration, money, percent, shortTime } from '../format';

const ROWS: { key: string; label: string; format: (v: number) => string; better: 'high' | 'low' }[] = [
  { key: 'eventsSent', label: 'Events sent', format: compact, better: 'high' },
  { key: 'acceptedShare', label: 'Accepted share', format: (v) => percent(v), better: 'high' },
  { key: 'eventsReachedStream', label: 'Reached ASA', format: compact, better: 'high' },
  { key: 'peakAcceptedPerSecond', label: 'Peak accepted/s', format: compact, better: 'high' },
  { key: 'throttledRequestShare', label: 'Throttled requests', format: (v) => percent(v), better: 'low' },
  { key: 'peakBacklog', label: 'Peak backlog', format: compact, better: 'low' },
  { key: 'latencyP50Ms', label: 'Latency p50', format: duration, better: 'low' },
  { key: 'latencyP95Ms', label: 'Latency p95', format: duration, better: 'low' },
  { key: 'latencyP99Ms', label: 'Latency p99', format: duration, better: 'low' },
  { key: 'slicesDeadlineMet', label: 'Slices on time', format: compact, better: 'high' },
  { key: 'accuracy', label: 'Accuracy', format: (v) => percent(v), better: 'high' },
  { key: 'macroF1', label: 'Macro-F1', format: (v) => v.toFixed(3), better: 'high' },
  { key: 'costPerHour', label: 'Cost per hour', format: money, better: 'low' },
];

export function Runs() {
  const { client, live, navigate } = useApp();
  const snap = useLive(live);
  const [picked, setPicked] = useState<string[]>([]);
  const [details, setDetails] = useState<RunDetailDto[]>([]);
  useEffect(() => {
    Promise.all(picked.map((id) => client.call('getRun', { id }))).then(setDetails, () => setDetails([]));
  }, [client, picked]);
  const toggle = (id: string) => setPicked((p) => (p.includes(id) ? p.filter((x) => x !== id) : [...p.slice(-1), id]));
  const jobs = snap.jobs;

  return (
    <div className="page runs">
      <div className="page-head">
        <div>
          <h1>Runs</h1>
          <p className="muted">History of runs, matrix runs and trainings in this workspace. Tick two to compare.</p>
        </div>
      </div>
      <Card title="History">
        {jobs.length === 0 ? (
          <Empty>No runs yet.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table" data-testid="runs-table">
              <thead>
                <tr>
                  <th />
                  <th>Run</th>
                  <th>Kind</th>
                  <th>Scenario</th>
                  <th>Started</th>
                  <th>Status</th>
                  <th className="num">Accepted</th>
                  <th className="num">Latency p95</th>
                  <th className="num">Accuracy</th>
                  <th className="num">Cost/h</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {jobs.map((j) => (
                  <tr key={j.id}>
                    <td>
                      <input type="checkbox" checked={picked.includes(j.id)} onChange={() => toggle(j.id)} disabled={j.kind !== 'run'} aria-label={`compare ${j.id}`} data-testid="run-compare" />
                    </td>
                    <td className="mono small">{j.id}</td>
                    <td>{j.kind}</td>
                    <td>{j.scenario}</td>
                    <td className="small">{shortTime(j.createdAt)}</td>
                    <td>
                      <StatusBadge status={j.status} /> {j.status === 'running' ? percent(j.progress, 0) : ''}
                    </td>
                    <td className="num">{percent(j.kpis?.acceptedShare)}</td>
                    <td className="num">{duration(j.kpis?.latencyP95Ms)}</td>
                    <td className="num">{percent(j.kpis?.accuracy)}</td>
                    <td className="num">{money(j.kpis?.costPerHour)}</td>
                    <td className="actions">
                      {j.kind !== 'train' && (
                        <button className="btn btn-link" onClick={() => navigate(j.kind === 'matrix' ? 'matrix' : 'dashboard', { run: j.id })}>
                          open
                        </button>
                      )}
                      {j.kind === 'run' && j.status === 'finished' && (
                        <button
                          className="btn btn-link"
                          onClick={() => void client.call('exportCsv', { id: j.id, kind: 'profiles' }).then((f) => download(f.filename, f.text))}
                        >
                          CSV
                        </button>
                      )}
                      {j.status !== 'running' && (
                        <button className="btn btn-link danger" onClick={() => void client.call('deleteRun', { id: j.id }).then(() => live.refresh())}>
                          delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      {details.length === 2 && (
        <Card title="Compare" subtitle="the better value of each row is highlighted" testId="runs-compare">
          <table className="table compare">
            <thead>
              <tr>
                <th>KPI</th>
                {details.map((d) => (
                  <th key={d.id} className="num">
                    {d.scenario}
                    <div className="mono small muted">{d.id}</div>
                  </th>
                ))}
                <th className="num">Δ (B − A)</th>
              </tr>
            </thead>
            <tbody>
              {ROWS.map((r) => {
                const [a, b] = details.map((d) => d.kpis?.[r.key] ?? null);
                const winner = a !== null && b !== null && a !== b ? ((r.better === 'high') === b > a ? 1 : 0) : -1;
                return (
                  <tr key={r.key}>
                    <td>{r.label}</td>
                    {[a, b].map((v, i) => (
                      <td key={i} className={`num ${winner === i ? 'better' : ''}`}>
                        {v === null ? '—' : r.format(v)}
                      </td>
                    ))}
                    <td className="num muted">{a !== null && b !== null ? (b - a >= 0 ? '+' : '−') + r.format(Math.abs(b - a)) : '—'}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Card>
      )}
    </div>
  );
}
