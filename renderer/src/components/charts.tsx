// Chart wrappers over recharts with consistent axes, legends and colours. They take plain arrays.
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { clockTime, compact } from '../format';

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

export interface SeriesSpec {
  key: string;
  name: string;
  color?: string;
}

const axisStyle = { fontSize: 11, fill: '#475569' };

/** Ticks on whole minutes (1, 2, 5, 10, 15, 30, 60 …) so a time axis reads 0:00, 15:00, 30:00. */
export function timeTicks(data: { t: number }[], count = 6): number[] | undefined {
  if (data.length < 2) return undefined;
  const min = data[0].t;
  const max = data[data.length - 1].t;
  const span = max - min;
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400];
  const step = steps.find((s) => span / s <= count) ?? Math.ceil(span / count / 3600) * 3600;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max; t += step) ticks.push(t);
  return ticks;
}

export function TimeChart(props: { data: Record<string, number>[]; series: SeriesSpec[]; unit: string; height?: number; testId?: string }) {
  return (
    <div className="chart chart-time" data-testid={props.testId} data-points={props.data.length}>
      {props.data.length === 0 && <div className="chart-waiting">waiting for the first points…</div>}
      <ResponsiveContainer width="100%" height={props.height ?? 200}>
        <LineChart data={props.data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey="t" type="number" domain={['dataMin', 'dataMax']} ticks={timeTicks(props.data as { t: number }[])} tickFormatter={(t: number) => clockTime(t)} tick={axisStyle} label={{ value: 'scenario time (min:s)', position: 'insideBottom', offset: -2, fontSize: 10, fill: '#64748b' }} height={32} />
          <YAxis tickFormatter={(v: number) => compact(v)} tick={axisStyle} width={52} label={{ value: props.unit, angle: -90, position: 'insideLeft', fontSize: 10, fill: '#64748b' }} />
          <Tooltip formatter={(v) => compact(Number(v))} labelFormatter={(t) => `t = ${clockTime(Number(t))}`} />
          <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} />
          {props.series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color ?? PALETTE[i % PALETTE.length]} dot={false} strokeWidth={2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

export function CategoryBars(props: { data: Record<string, number | string | null>[]; x: string; xLabel: string; series: SeriesSpec[]; unit: string; height?: number; testId?: string; stacked?: boolean; format?: (v: number) => string }) {
  const fmt = props.format ?? compact;
  return (
    <div className="chart" data-testid={props.testId} data-points={props.data.length}>
      <ResponsiveContainer width="100%" height={props.height ?? 200}>
        <BarChart data={props.data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey={props.x} tick={axisStyle} label={{ value: props.xLabel, position: 'insideBottom', offset: -2, fontSize: 10, fill: '#64748b' }} height={32} />
          <YAxis tickFormatter={(v: number) => fmt(v)} tick={axisStyle} width={52} label={{ value: props.unit, angle: -90, position: 'insideLeft', fontSize: 10, fill: '#64748b' }} />
          <Tooltip formatter={(v) => fmt(Number(v))} />
          <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} />
          {props.series.map((s, i) => (
            <Bar key={s.key} dataKey={s.key} name={s.name} fill={s.color ?? PALETTE[i % PALETTE.length]} stackId={props.stacked ? 'a' : undefined} isAnimationActive={false} />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}

export function SweepChart(props: { data: Record<string, number | string | null>[]; x: string; xLabel: string; series: SeriesSpec[]; unit: string; testId?: string }) {
  return (
    <div className="chart" data-testid={props.testId}>
      <ResponsiveContainer width="100%" height={220}>
        <LineChart data={props.data} margin={{ top: 8, right: 16, bottom: 4, left: 4 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" />
          <XAxis dataKey={props.x} tick={axisStyle} label={{ value: props.xLabel, position: 'insideBottom', offset: -2, fontSize: 10, fill: '#64748b' }} height={32} />
          <YAxis tickFormatter={(v: number) => compact(v)} tick={axisStyle} width={52} label={{ value: props.unit, angle: -90, position: 'insideLeft', fontSize: 10, fill: '#64748b' }} />
          <Tooltip formatter={(v) => compact(Number(v))} />
          <Legend verticalAlign="top" height={26} wrapperStyle={{ fontSize: 12 }} />
          {props.series.map((s, i) => (
            <Line key={s.key} dataKey={s.key} name={s.name} stroke={s.color ?? PALETTE[i % PALETTE.length]} strokeWidth={2} isAnimationActive={false} />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </div>
  );
}

/** A grid heatmap (rows × columns) with a colour scale from light to dark; values shown in each cell. */
export function Heatmap(props: { rows: (string | number)[]; cols: (string | number)[]; rowLabel: string; colLabel: string; value: (r: string | number, c: string | number) => number | null; format: (v: number) => string; testId?: string; higherIsBetter?: boolean }) {
  const values = props.rows.flatMap((r) => props.cols.map((c) => props.value(r, c))).filter((v): v is number => v !== null && Number.isFinite(v));
  const min = Math.min(...values);
  const max = Math.max(...values);
  const shade = (v: number) => {
    const x = max > min ? (v - min) / (max - min) : 0.5;
    const good = props.higherIsBetter === false ? 1 - x : x;
    return `hsl(217, 80%, ${92 - good * 50}%)`;
  };
  return (
    <table className="heatmap" data-testid={props.testId}>
      <thead>
        <tr>
          <th className="heatmap-corner">
            {props.rowLabel} ↓ / {props.colLabel} →
          </th>
          {props.cols.map((c) => (
            <th key={String(c)}>{String(c)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr key={String(r)}>
            <th>{String(r)}</th>
            {props.cols.map((c) => {
              const v = props.value(r, c);
              const x = v !== null && max > min ? (v - min) / (max - min) : 0.5;
              const good = props.higherIsBetter === false ? 1 - x : x;
              return (
                <td key={String(c)} style={v === null ? undefined : { background: shade(v), color: good > 0.6 ? '#fff' : '#0f172a' }}>
                  {v === null ? '—' : props.format(v)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** Horizontal bars for long category names (feature importance, cost line items). */
export function HorizontalBars(props: { data: { name: string; value: number }[]; valueLabel: string; color?: string; format: (v: number) => string; testId?: string }) {
  const height = 40 + props.data.length * 26;
  return (
    <div className="chart" data-testid={props.testId} data-points={props.data.length}>
      <ResponsiveContainer width="100%" height={height}>
        <BarChart data={props.data} layout="vertical" margin={{ top: 4, right: 24, bottom: 4, left: 8 }}>
          <CartesianGrid stroke="#e2e8f0" strokeDasharray="3 3" horizontal={false} />
          <XAxis type="number" tickFormatter={(v: number) => props.format(v)} tick={axisStyle} label={{ value: props.valueLabel, position: 'insideBottom', offset: -2, fontSize: 10, fill: '#64748b' }} height={30} />
          <YAxis type="category" dataKey="name" tick={axisStyle} width={210} interval={0} />
          <Tooltip formatter={(v) => props.format(Number(v))} />
          <Bar dataKey="value" name={props.valueLabel} fill={props.color ?? PALETTE[0]} isAnimationActive={false} radius={[0, 4, 4, 0]} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
