// Scenarios: list, edit with inline validation (file:line problems next to the text), save, run, stop.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ScenarioSummaryDto, ValidationDto } from '@contract/contract';
import { useApp } from '../context';
import { useLive } from '../state/live';
import { Card, ErrorNote, Progress, StatusBadge } from '../components/ui';

export function Scenarios() {
  const { client, live, params, navigate } = useApp();
  const snap = useLive(live);
  const [list, setList] = useState<ScenarioSummaryDto[]>([]);
  const [name, setName] = useState<string | null>(params.name ?? null);
  const [text, setText] = useState('');
  const [saved, setSaved] = useState('');
  const [readOnly, setReadOnly] = useState(false);
  const [check, setCheck] = useState<ValidationDto | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  /** '' = the scenario's own clock (usually virtual: as fast as the CPU allows); else a paced speed. */
  const [speed, setSpeed] = useState('');
  const editor = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);

  const reload = () => client.call('listScenarios', {}).then(setList, (e: Error) => setError(e.message));
  useEffect(() => {
    void reload();
  }, []);
  useEffect(() => {
    if (!name && list.length > 0) setName(list.find((s) => s.name === 'seed-demo')?.name ?? list[0].name);
  }, [list, name]);
  useEffect(() => {
    if (!name) return;
    client.call('readScenario', { name }).then(
      (doc) => {
        setText(doc.text);
        setSaved(doc.text);
        setReadOnly(doc.readOnly);
        setNotice(null);
      },
      (e: Error) => setError(e.message),
    );
  }, [client, name]);
  // Validate as the user types (debounced): problems appear inline without saving.
  useEffect(() => {
    const timer = setTimeout(() => {
      client.call('validateScenario', { text }).then(setCheck, (e: Error) => setError(e.message));
    }, 250);
    return () => clearTimeout(timer);
  }, [client, text]);

  const problemLines = useMemo(() => new Map((check?.problems ?? []).filter((p) => p.line !== null).map((p) => [p.line!, p.message])), [check]);
  const lineCount = text.split('\n').length;
  const jobs = snap.jobs.filter((j) => j.scenario === name && j.kind !== 'train');
  const active = jobs.find((j) => j.status === 'running' || j.status === 'queued');
  const latest = jobs[0];
  const liveJob = active ? snap.live[active.id] : undefined;

  const jumpTo = (line: number) => {
    const el = editor.current;
    if (!el) return;
    const lines = text.split('\n');
    const start = lines.slice(0, line - 1).reduce((a, l) => a + l.length + 1, 0);
    el.focus();
    el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    el.scrollTop = (line - 3) * 20;
  };

  const save = async () => {
    if (!name) return;
    try {
      const res = await client.call('saveScenario', { name, text });
      setSaved(text);
      setReadOnly(false);
      setNotice(res.valid ? 'Saved to the workspace.' : 'Saved, but it has problems — fix them before running.');
      void reload();
    } catch (e) {
      setError((e as Error).message);
    }
  };
  const run = async () => {
    if (!name) return;
    setError(null);
    try {
      if (text !== saved) await save();
      const job = await client.call('startRun', { scenario: name, ...(speed ? { speed: Number(speed) } : {}) });
      setNotice(`Started ${job.id}.`);
    } catch (e) {
      setError((e as Error).message);
    }
  };

  return (
    <div className="page scenarios">
      <div className="page-head">
        <div>
          <h1>Scenarios</h1>
          <p className="muted">Shipped scenarios are read-only; saving stores an edited copy in your workspace.</p>
        </div>
      </div>
      <div className="two-col">
        <Card title="Scenarios" className="list-card">
          <ul className="list" data-testid="scenario-list">
            {list.map((s) => (
              <li key={s.name}>
                <button className={`list-item ${s.name === name ? 'active' : ''}`} onClick={() => setName(s.name)} data-testid={`scenario-${s.name}`}>
                  <div className="list-title">
                    {s.name} {s.isMatrix && <span className="badge badge-queued">matrix ×{s.combinations}</span>} {!s.valid && <span className="badge badge-failed">invalid</span>}
                    {!s.readOnly && <span className="badge badge-finished">workspace</span>}
                  </div>
                  <div className="muted small">{s.description}</div>
                </button>
              </li>
            ))}
          </ul>
        </Card>
        <Card
          title={name ? `${name}.yaml` : 'Scenario'}
          subtitle={readOnly ? 'shipped · read-only (save creates your copy)' : 'your copy'}
          actions={
            <>
              <button className="btn" onClick={() => void save()} disabled={text === saved} data-testid="scenario-save">
                Save
              </button>
              {active ? (
                <button className="btn btn-danger" onClick={() => void client.call('stopJob', { id: active.id })} data-testid="scenario-stop">
                  Stop
                </button>
              ) : (
                <>
                <select value={speed} onChange={(e) => setSpeed(e.target.value)} aria-label="clock" title="the clock the run uses" data-testid="scenario-speed">
                  <option value="">scenario clock</option>
                  <option value="60">paced ×60 (1 h in 1 min)</option>
                  <option value="240">paced ×240</option>
                  <option value="900">paced ×900</option>
                </select>
                <button className="btn btn-primary" onClick={() => void run()} disabled={!check?.valid} data-testid="scenario-run">
                  ▶ Run
                </button>
                </>
              )}
            </>
          }
        >
          {active && (
            <div className="run-status" data-testid="scenario-progress">
              <Progress value={active.progress} label={liveJob?.message || 'starting'} />
              <button className="btn btn-link" onClick={() => navigate(active.kind === 'matrix' ? 'matrix' : 'dashboard', { run: active.id })}>
                Watch on the {active.kind === 'matrix' ? 'Matrix page' : 'Dashboard'} →
              </button>
            </div>
          )}
          {!active && latest && (
            <div className="run-status run-status-inline muted small">
              Last run <span className="mono">{latest.id}</span> <StatusBadge status={latest.status} /> {latest.error ?? ''}
              {latest.status === 'finished' && (
                <button className="btn btn-link" onClick={() => navigate(latest.kind === 'matrix' ? 'matrix' : 'dashboard', { run: latest.id })}>
                  open →
                </button>
              )}
            </div>
          )}
          <ErrorNote error={error} />
          {notice && <div className="notice">{notice}</div>}
          <div className="editor">
            <div className="gutter" ref={gutter} aria-hidden>
              {Array.from({ length: lineCount }, (_, i) => (
                <div key={i} className={problemLines.has(i + 1) ? 'gutter-bad' : ''} title={problemLines.get(i + 1)}>
                  {i + 1}
                </div>
              ))}
            </div>
            <textarea
              ref={editor}
              value={text}
              spellCheck={false}
              onChange={(e) => setText(e.target.value)}
              onScroll={(e) => gutter.current && (gutter.current.scrollTop = e.currentTarget.scrollTop)}
              aria-label="scenario YAML"
              data-testid="scenario-editor"
            />
          </div>
          <div className="problems" data-testid="scenario-problems">
            {check?.valid ? (
              <span className="ok">✓ valid{check.isMatrix ? ` · matrix of ${check.combinations} combinations` : ''}</span>
            ) : (
              (check?.problems ?? []).map((p, i) => (
                <button key={i} className="problem" onClick={() => p.line && jumpTo(p.line)}>
                  <span className="mono">
                    {p.line !== null ? `line ${p.line}${p.column !== null ? `:${p.column}` : ''}` : ''}
                    {p.field ? ` (${p.field})` : ''}
                  </span>{' '}
                  {p.message.replace(/^.*?\): /, '')}
                </button>
              ))
            )}
          </div>
        </Card>
      </div>
    </div>
  );
}
