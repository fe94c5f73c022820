import { LABELS } from '../format';

/** confusion[actual][predicted], shaded by each actual row's share so small classes stay readable. */
export function ConfusionMatrix({ confusion }: { confusion: number[][] }) {
  return (
    <table className="confusion" data-testid="confusion-matrix">
      <thead>
        <tr>
          <th className="heatmap-corner">actual ↓ / predicted →</th>
          {LABELS.map((l) => (
            <th key={l}>{l}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {confusion.map((row, a) => {
          const total = row.reduce((x, y) => x + y, 0) || 1;
          return (
            <tr key={a}>
              <th>{LABELS[a]}</th>
              {row.map((n, p) => {
                const share = n / total;
                const bg = a === p ? `hsl(142, 60%, ${95 - share * 55}%)` : `hsl(0, 70%, ${97 - share * 45}%)`;
                return (
                  <td key={p} style={{ background: bg, color: share > 0.6 ? '#fff' : '#0f172a' }} title={`${(share * 100).toFixed(1)}% of actual ${LABELS[a]}`}>
                    {n.toLocaleString('en-US')}
                  </td>
                );
              })}
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
