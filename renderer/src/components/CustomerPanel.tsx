// One customer: prediction, why, purchases and browsing history.
import { useEffect, useState } from 'react';
import type { CustomerDetailDto } from '@contract/contract';
import { useApp } from '../context';
import { LABELS, LABEL_COLORS, percent } from '../format';
import { CategoryBars } from './charts';
import { ProbabilityBar } from './ProfileTable';

export function CustomerPanel(props: { runId: string; customerId: number; onClose: () => void }) {
  const { client } = useApp();
  const [detail, setDetail] = useState<CustomerDetailDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setDetail(null);
    client.call('getCustomer', { runId: props.runId, customerId: props.customerId }).then(setDetail, (e: Error) => setError(e.message));
  }, [client, props.runId, props.customerId]);
  const { onClose } = props;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [onClose]);

  return (
    <div className="drawer-backdrop" onClick={props.onClose}>
      <aside className="drawer" onClick={(e) => e.stopPropagation()} data-testid="customer-panel" aria-label={`customer ${props.customerId}`}>
        <header className="drawer-header">
          <h2>Customer #{props.customerId}</h2>
          <button className="btn btn-ghost" onClick={props.onClose} aria-label="close">
            ✕
          </button>
        </header>
        {error && <div className="error-note">{error}</div>}
        {!detail && !error && <div className="muted">Loading…</div>}
        {detail && (
          <div className="drawer-body">
            <section>
              <h4>Prediction</h4>
              <div className="prediction">
                <span className="dot big" style={{ background: LABEL_COLORS[detail.label] }} />
                <strong data-testid="customer-label">{LABELS[detail.label]}</strong>
                <span className="muted">({percent(detail.probabilities[detail.label])})</span>
                {detail.actual !== null && (
                  <span className={`badge ${detail.actual === detail.label ? 'badge-finished' : 'badge-failed'}`}>actual: {LABELS[detail.actual]}</span>
                )}
              </div>
              <ProbabilityBar p={detail.probabilities} />
              <div className="legend-row small">
                {LABELS.map((l, i) => (
                  <span key={l}>
                    <span className="dot" style={{ background: LABEL_COLORS[i] }} /> {l} {percent(detail.probabilities[i])}
                  </span>
                ))}
              </div>
            </section>
            <section data-testid="customer-why">
              <h4>Why this label</h4>
              <p className="muted small">Features where this customer differs most from the run's average customer, weighted by how much the model relies on them.</p>
              <ul className="reasons">
                {detail.reasons.map((r) => (
                  <li key={r.feature}>
                    <span className={`arrow ${r.zScore >= 0 ? 'up' : 'down'}`}>{r.zScore >= 0 ? '▲' : '▼'}</span> {r.text}
                  </li>
                ))}
              </ul>
            </section>
            <section>
              <h4>Purchases</h4>
              {detail.purchases.length === 0 ? (
                <p className="muted">No purchases in the history.</p>
              ) : (
                <table className="table compact" data-testid="customer-purchases">
                  <thead>
                    <tr>
                      <th>When</th>
                      <th>Product</th>
                      <th className="num">Amount</th>
                    </tr>
                  </thead>
                  <tbody>
                    {detail.purchases.map((p, i) => (
                      <tr key={i}>
                        <td>{p.time}</td>
                        <td>{p.product}</td>
                        <td className="num">${p.amount.toFixed(2)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
            <section>
              <h4>Browsing (last session's sample, seconds per day)</h4>
              <CategoryBars
                data={detail.browsing.map((b) => ({ day: b.day.slice(5), T1: b.t1, T2: b.t2, T3: b.t3 }))}
                x="day"
                xLabel="day (MM-DD)"
                unit="seconds"
                stacked
                height={180}
                series={[
                  { key: 'T1', name: 'T1 Technology', color: LABEL_COLORS[1] },
                  { key: 'T2', name: 'T2 Apparel', color: LABEL_COLORS[2] },
                  { key: 'T3', name: 'T3 Cosmetics', color: LABEL_COLORS[3] },
                ]}
                testId="customer-browsing"
              />
            </section>
            <section>
              <h4>Profile features</h4>
              <div className="features-grid small">
                {Object.entries(detail.features).map(([k, v]) => (
                  <div key={k}>
                    <span className="muted">{k}</span> <span className="mono">{typeof v === 'number' ? (Number.isInteger(v) ? v : v.toFixed(2)) : v}</span>
                  </div>
                ))}
              </div>
            </section>
          </div>
        )}
      </aside>
    </div>
  );
}
