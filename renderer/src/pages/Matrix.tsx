// Matrix runs: TU × SU heatmaps of a chosen KPI, sweep charts for one-dimensional sweeps, the table and CSV export.
import { useEffect, useState } from 'react';
import type { RunDetailDto } from '@contract/contract';
import { useApp } from '../context';
import { useLive } from '../state/live';
import { Card, Empty, ErrorNote, Progress, StatusBadge } from '../components/ui';
import { Heatmap, SweepChart } from '../components/charts';
import { compact, download, duration, money, percent, shortTime } from '../format';

const KPIS: { key: string; label: string; unit: string; format: (v: number) => string; higherIsBetter: boolean }[] = [
  { key: 'meanAcceptedPerSecond', label: 'Accepted events/s (mean)', unit: 'events/s', format: compact, higherIsBetter: true },
  { key: 'acceptedShare', label: 'Accepted share', unit: 'share', format: (v) => percent(v), higherIsBetter: true },
  { key: 'eventsReachedStream', label: 'Events reached ASA', unit: 'events', format: compact, higherIsBetter: true },
  { key: 'peakBacklog', label: 'Peak backlog', unit: 'events', format: compact, higherIsBetter: false },
  { key: 'latencyP95Ms', label: 'Latency p95', unit: 'ms', format: duration, higherIsBetter: false },
  { key: 'slicesDeadlineMet', label: 'Slices on time', unit: 'slices', format: compact, higherIsBetter: true },
  { key: 'costPerHour', label: 'Cost per hour', unit: 'USD/h', format: money, higherIsBetter: false },
];

const sortValues = (xs: (string | number | boolean)[]) => [...new Set(xs.map((x) => (typeof x === 'boolean' ? String(x) : x)))].sort((a, b) => (typeof a === 'number' && typeof b === 'number' ? a - b : String(a).localeCompare(String(b))));

export function Matrix() {
  const { client, live, params, navigate } = useApp();
  const snap = useLive(live);
  const matrices = snap.jobs.filter((j) => j.kind === 'matrix');
  const selectedId = params.run ?? matrices.find((m) => m.status === 'finished')?.id ?? matrices[0]?.id;
  const summary = matrices.find((m) => m.id === selectedId);
  const [detail, setDetail] = useState<RunDetailDto | null>(null);
  const [kpi, setKpi] = useState(KPIS[0].key);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!selectedId) return;
    client.call('getRun', { id: selectedId }).then(setDetail, (e: Error) => setError(e.message));
  }, [client, selectedId, summary?.status, summary?.progress]);

  if (!selectedId)
    return (
      <Empty>
        No matrix runs yet. Run <strong>tu-su-matrix</strong> from <a onClick={() => navigate('scenarios', { name: 'tu-su-matrix' })}>Scenarios</a>.
      </Empty>
    );

  const rows = detail && detail.id === selectedId ? detail.matrix : [];
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r.overrides)))];
  const tuKey = keys.find((k) => /throughputUnits/i.test(k));
  const suKey = keys.find((k) => /streamingUnits/i.test(k));
  const spec = KPIS.find((k) => k.key === kpi)!;
  const exportCsv = async () => {
    const file = await client.call('exportCsv', { id: selectedId, kind: 'matrix' });
    download(file.filename, file.text);
  };

  return (
    <div className="page matrix">
      <div className="page-head">
        <div>
          <h1>Matrix</h1>
          <p className="muted">
            <span className="mono">{selectedId}</span> · {summary?.scenario} · {shortTime(summary?.createdAt ?? null)} {summary && <StatusBadge status={summary.status} />}
          </p>
        </div>
        <div className="page-actions">
          <select value={selectedId} onChange={(e) => navigate('matrix', { run: e.target.value })} aria-label="matrix run" data-testid="matrix-select">
            {matrices.map((m) => (
              <option key={m.id} value={m.id}>
                {m.scenario} · {shortTime(m.createdAt)} · {m.status}
              </option>
            ))}
          </select>
          <select value={kpi} onChange={(e) => setKpi(e.target.value)} aria-label="KPI">
            {KPIS.map((k) => (
              <option key={k.key} value={k.key}>
                {k.label}
              </option>
            ))}
          </select>
          <button className="btn" onClick={() => void exportCsv()} disabled={rows.length === 0} data-testid="matrix-export">
            Export CSV
          </button>
        </div>
      </div>
      {summary?.status === 'running' && <Progress value={summary.progress} label={snap.live[selectedId]?.message || 'running'} />}
      <ErrorNote error={error ?? summary?.error ?? null} />
      {rows.length === 0 ? (
        <Empty>No combinations finished yet.</Empty>
      ) : (
        <>
          {tuKey && suKey && (
            <Card title={`${spec.label}: Throughput Units × Streaming Units`} subtitle={`${rows.length} combinations; other swept keys are averaged`} testId="matrix-heatmap-card">
              <Heatmap
                testId="matrix-heatmap"
                rows={sortValues(rows.map((r) => r.overrides[tuKey]))}
                cols={sortValues(rows.map((r) => r.overrides[suKey]))}
                rowLabel="TU"
                colLabel="SU"
                higherIsBetter={spec.higherIsBetter}
                format={spec.format}
                value={(tu, su) => {
                  const cell = rows.filter((r) => String(r.overrides[tuKey]) === String(tu) && String(r.overrides[suKey]) === String(su)).map((r) => r.kpis[kpi]).filter((v): v is number => v !== null);
                  return cell.length ? cell.reduce((a, b) => a + b, 0) / cell.length : null;
                }}
              />
            </Card>
          )}
          <div className="grid-2">
            {keys.map((key) => {
              const xs = sortValues(rows.map((r) => r.overrides[key]));
              if (xs.length < 2) return null;
              const data = xs.map((x) => {
                const match = rows.filter((r) => String(r.overrides[key]) === String(x)).map((r) => r.kpis[kpi]).filter((v): v is number => v !== null);
                return { x, value: match.length ? match.reduce((a, b) => a + b, 0) / match.length : null };
              });
              return (
                <Card key={key} title={`${spec.label} vs ${key}`} subtitle="mean over the other swept keys">
                  <SweepChart testId="matrix-sweep" data={data} x="x" xLabel={key} unit={spec.unit} series={[{ key: 'value', name: spec.label }]} />
                </Card>
              );
            })}
          </div>
          <Card title="Combinations">
            <div className="table-wrap">
              <table className="table" data-testid="matrix-table">
                <thead>
                  <tr>
                    {keys.map((k) => (
                      <th key={k}>{k}</th>
                    ))}
                    {KPIS.map((k) => (
                      <th key={k.key} className="num">
                        {k.label}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {rows.map((r) => (
                    <tr key={r.id}>
                      {keys.map((k) => (
                        <td key={k}>{String(r.overrides[k])}</td>
                      ))}
                      {KPIS.map((k) => (
                        <td key={k.key} className="num">
                          {r.kpis[k.key] === null || r.kpis[k.key] === undefined ? '—' : k.format(r.kpis[k.key] as number)}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </Card>
        </>
      )}
    </div>
  );
}
