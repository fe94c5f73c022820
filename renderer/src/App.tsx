// The shell: header with navigation, hash routing (#/page?key=value), and the current page.
import { useEffect, useMemo, useState } from 'react';
import { AppContext, type PageId } from './context';
import type { C360Client } from './client';
import { LiveStore, useLive } from './state/live';
import { Dashboard } from './pages/Dashboard';
import { Scenarios } from './pages/Scenarios';
import { Matrix } from './pages/Matrix';
import { Model } from './pages/Model';
import { Runs } from './pages/Runs';
import { ErrorBoundary } from './components/ErrorBoundary';

const PAGES: { id: PageId; label: string }[] = [
  { id: 'dashboard', label: 'Dashboard' },
  { id: 'scenarios', label: 'Scenarios' },
  { id: 'matrix', label: 'Matrix' },
  { id: 'model', label: 'Model' },
  { id: 'runs', label: 'Runs' },
];

function parseHash(hash: string): { page: PageId; params: Record<string, string> } {
  const [path, query = ''] = hash.replace(/^#\/?/, '').split('?');
  const page = (PAGES.find((p) => p.id === path)?.id ?? 'dashboard') as PageId;
  return { page, params: Object.fromEntries(new URLSearchParams(query)) };
}

export function App({ client }: { client: C360Client }) {
  const live = useMemo(() => new LiveStore(client), [client]);
  const snap = useLive(live);
  const [route, setRoute] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setRoute(parseHash(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const navigate = (page: PageId, params: Record<string, string> = {}) => {
    const q = new URLSearchParams(params).toString();
    location.hash = `#/${page}${q ? `?${q}` : ''}`;
  };
  const running = snap.jobs.filter((j) => j.status === 'running').length;

  return (
    <AppContext.Provider value={{ client, live, navigate, params: route.params }}>
      <header className="topbar">
        <div className="brand">
          <span className="logo" aria-hidden>
            ◆
          </span>
          Customer 360 <span className="brand-sub">twin</span>
        </div>
        <nav aria-label="pages">
          {PAGES.map((p) => (
            <a key={p.id} href={`#/${p.id}`} className={route.page === p.id ? 'active' : ''} data-testid={`nav-${p.id}`} aria-current={route.page === p.id ? 'page' : undefined}>
              {p.label}
            </a>
          ))}
        </nav>
        <div className="topbar-status" data-testid="running-count">
          {running > 0 ? (
            <span className="pulse">
              ● {running} job{running > 1 ? 's' : ''} running
            </span>
          ) : (
            <span className="muted">idle</span>
          )}
          <span className="transport">{client.transport === 'ipc' ? 'desktop' : 'browser'}</span>
        </div>
      </header>
      <main>
        <ErrorBoundary resetKey={location.hash}>
        {route.page === 'dashboard' && <Dashboard />}
        {route.page === 'scenarios' && <Scenarios />}
        {route.page === 'matrix' && <Matrix />}
        {route.page === 'model' && <Model />}
        {route.page === 'runs' && <Runs />}
        </ErrorBoundary>
      </main>
    </AppContext.Provider>
  );
}
