// Browser mode: POST /api/<method> with JSON, events over one EventSource (reconnects by itself).
import type { ApiArgs, ApiResults, CallResult, EngineEvent, MethodName } from '@contract/contract';
import { ApiError, type C360Client } from './client';

export function httpClient(base = ''): C360Client {
  const listeners = new Set<(e: EngineEvent) => void>();
  let source: EventSource | null = null;
  const open = () => {
    source = new EventSource(`${base}/api/events`);
    source.onmessage = (m) => {
      const event = JSON.parse(m.data as string) as EngineEvent;
      for (const l of listeners) l(event);
    };
  };
  return {
    transport: 'http',
    async call<M extends MethodName>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
      const res = await fetch(`${base}/api/${method}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(args) });
      const body = (await res.json()) as CallResult<ApiResults[M]>;
      if (!body.ok) throw new ApiError(body.error);
      return body.value;
    },
    subscribe(listener) {
      listeners.add(listener);
      if (!source) open();
      return () => {
        listeners.delete(listener);
        if (listeners.size === 0 && source) {
          source.close();
          source = null;
        }
      };
    },
  };
}
