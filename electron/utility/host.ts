// The engine host protocol between the main process and the utility process, over a MessagePort:
//   main → utility: { id, method, args }          (already validated by main; validated again here)
//   utility → main: { id, result }  |  { event }
// Plain module (no Electron import) so tests can drive it with Node's MessageChannel.
import type { ApiHandlers, CallResult, EngineEvent } from '../common/contract.js';
import { dispatchCall } from '../common/dispatch.js';

export interface PortLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: { data: unknown }) => void): unknown;
  start?(): void;
}

export type HostRequest = { id: number; method: string; args: unknown };
export type HostReply = { id: number; result: CallResult<unknown> } | { event: EngineEvent };

export function serveApi(port: PortLike, api: { handlers: ApiHandlers; subscribe(l: (e: EngineEvent) => void): () => void }): () => void {
  const unsubscribe = api.subscribe((event) => port.postMessage({ event } satisfies HostReply));
  port.on('message', ({ data }) => {
    const req = data as Partial<HostRequest> | null;
    if (!req || typeof req.id !== 'number') return;
    const id = req.id;
    // Defence in depth: the utility process does not trust main's validation to have happened.
    void dispatchCall(api.handlers, req.method, req.args).then((result) => port.postMessage({ id, result } satisfies HostReply));
  });
  port.start?.();
  return unsubscribe;
}

/** Main's side: calls over the port, matched by id, and events to a listener. */
export class HostClient {
  private next = 1;
  private readonly pending = new Map<number, (r: CallResult<unknown>) => void>();

  constructor(
    private readonly port: PortLike,
    onEvent: (event: EngineEvent) => void,
  ) {
    port.on('message', ({ data }) => {
      const reply = data as HostReply;
      if ('event' in reply) return onEvent(reply.event);
      const resolve = this.pending.get(reply.id);
      this.pending.delete(reply.id);
      resolve?.(reply.result);
    });
    port.start?.();
  }

  call(method: string, args: unknown): Promise<CallResult<unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.port.postMessage({ id, method, args } satisfies HostRequest);
    });
  }

  /** Fails every call in flight (the utility process died). */
  failAll(message: string): void {
    for (const resolve of this.pending.values()) resolve({ ok: false, error: { code: 'internal', message } });
    this.pending.clear();
  }
}
