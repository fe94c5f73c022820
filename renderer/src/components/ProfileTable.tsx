// The enriched profiles of a run: search, filter by predicted label, probability bars, and a virtualised
// list — only the rows in view are in the DOM, and rows are fetched from the engine a page at a time,
// so 6,000 or 1,000,000 customers scroll the same.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ProfileRowDto } from '@contract/contract';
import { useApp } from '../context';
import { LABELS, LABEL_COLORS, percent } from '../format';

const ROW_HEIGHT = 34;

const INCOME: Record<string, string> = { Less_than_10K: '<10K', '10K_50K': '10–50K', '50K_100K': '50–100K', Greater_than_100K: '>100K' };
const incomeShort = (income: string | null) => (income === null ? '—' : (INCOME[income] ?? income.replace(/_/g, ' ')));
const PAGE = 100;
const VIEW_HEIGHT = 476;

export function ProbabilityBar({ p }: { p: number[] }) {
  return (
    <div className="probbar" title={p.map((x, i) => `${LABELS[i]}: ${percent(x)}`).join('\n')}>
      {p.map((x, i) => (
        <div key={i} style={{ width: `${x * 100}%`, background: LABEL_COLORS[i] }} />
      ))}
    </div>
  );
}

export function ProfileTable(props: { runId: string; onOpen: (customerId: number) => void; refreshKey?: unknown }) {
  const { client } = useApp();
  const [search, setSearch] = useState('');
  const [label, setLabel] = useState<number | undefined>(undefined);
  const [total, setTotal] = useState(0);
  const [counts, setCounts] = useState<number[]>([0, 0, 0, 0]);
  const [pages, setPages] = useState<Map<number, ProfileRowDto[]>>(new Map());
  const [scrollTop, setScrollTop] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const loading = useRef(new Set<number>());
  const generation = useRef(0);

  const loadPage = useCallback(
    async (page: number, gen: number) => {
      if (loading.current.has(page)) return;
      loading.current.add(page);
      try {
        const res = await client.call('queryProfiles', { runId: props.runId, search: search || undefined, label, offset: page * PAGE, limit: PAGE });
        if (gen !== generation.current) return;
        setTotal(res.total);
        setCounts(res.labelCounts);
        setPages((prev) => new Map(prev).set(page, res.rows));
        setError(null);
      } catch (e) {
        setError((e as Error).message);
      } finally {
        loading.current.delete(page);
      }
    },
    [client, props.runId, search, label],
  );

  // A new query starts over; a short delay lets typing finish before asking the engine.
  useEffect(() => {
    const gen = ++generation.current;
    loading.current.clear();
    setPages(new Map());
    const timer = setTimeout(() => void loadPage(0, gen), 150);
    return () => clearTimeout(timer);
  }, [loadPage, props.refreshKey]);

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - 5);
  const last = Math.min(total, Math.ceil((scrollTop + VIEW_HEIGHT) / ROW_HEIGHT) + 5);
  useEffect(() => {
    for (let p = Math.floor(first / PAGE); p <= Math.floor(Math.max(first, last - 1) / PAGE); p++) if (!pages.has(p) && p * PAGE < total) void loadPage(p, generation.current);
  }, [first, last, pages, total, loadPage]);

  const visible = useMemo(() => {
    const rows: { index: number; row: ProfileRowDto | undefined }[] = [];
    for (let i = first; i < last; i++) rows.push({ index: i, row: pages.get(Math.floor(i / PAGE))?.[i % PAGE] });
    return rows;
  }, [first, last, pages]);

  const allCount = counts.reduce((a, b) => a + b, 0);
  return (
    <div className="profiles" data-testid="profile-table">
      <div className="profiles-toolbar">
        <input type="search" placeholder="Search id, gender, income…" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="search profiles" data-testid="profile-search" />
      </div>
      <div className="chips" role="group" aria-label="filter by predicted label">
        <button className={`chip ${label === undefined ? 'chip-on' : ''}`} onClick={() => setLabel(undefined)} data-testid="label-filter-all">
          All <span className="chip-count">{allCount.toLocaleString('en-US')}</span>
        </button>
        {LABELS.map((name, i) => (
          <button key={i} className={`chip ${label === i ? 'chip-on' : ''}`} onClick={() => setLabel(i)} data-testid={`label-filter-${i}`}>
            <span className="dot" style={{ background: LABEL_COLORS[i] }} />
            {name} <span className="chip-count">{counts[i].toLocaleString('en-US')}</span>
          </button>
        ))}
      </div>
      <div className="profiles-head">
        <span>Customer</span>
        <span>Age · Gender · Income</span>
        <span>Predicted</span>
        <span>Probabilities</span>
      </div>
      <div className="profiles-view" style={{ height: VIEW_HEIGHT }} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)} data-testid="profile-rows" data-total={total}>
        <div style={{ height: total * ROW_HEIGHT, position: 'relative' }}>
          {visible.map(({ index, row }) => (
            <div
              key={index}
              className="profile-row"
              style={{ top: index * ROW_HEIGHT, height: ROW_HEIGHT }}
              onClick={() => row && props.onOpen(row.customerID)}
              onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && row && (e.preventDefault(), props.onOpen(row.customerID))}
              role="button"
              tabIndex={0}
              data-testid="profile-row"
              data-label={row?.label}
            >
              {row ? (
                <>
                  <span className="mono">#{row.customerID}</span>
                  <span className="muted small">
                    {row.age ?? '—'} · {row.gender ?? '—'} · {incomeShort(row.income)}
                  </span>
                  <span>
                    <span className="dot" style={{ background: LABEL_COLORS[row.label] }} /> {LABELS[row.label]}
                    {row.actual !== null && row.actual !== row.label && <span className="miss" title={`actual: ${LABELS[row.actual]}`}>✗</span>}
                  </span>
                  <ProbabilityBar p={row.probabilities} />
                </>
              ) : (
                <span className="muted">…</span>
              )}
            </div>
          ))}
        </div>
      </div>
      <div className="profiles-foot muted small">
        {total.toLocaleString('en-US')} customers{error ? ` · ${error}` : ''} · ✗ = prediction differs from what they bought next
      </div>
    </div>
  );
}
