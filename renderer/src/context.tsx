import { createContext, useContext } from 'react';
import type { C360Client } from './client';
import type { LiveStore } from './state/live';

export interface AppContextValue {
  client: C360Client;
  live: LiveStore;
  navigate: (page: PageId, params?: Record<string, string>) => void;
  params: Record<string, string>;
}

export type PageId = 'dashboard' | 'scenarios' | 'matrix' | 'model' | 'runs';

export const AppContext = createContext<AppContextValue | null>(null);

export function useApp(): AppContextValue {
  const ctx = useContext(AppContext);
  if (!ctx) throw new Error('AppContext missing');
  return ctx;
}
