// Runs one contract call against the engine's handlers: checks the method and arguments, calls, and
// turns any error into data (a SerializedError), because Electron IPC keeps only an error's message and
// HTTP keeps nothing. Used by the Electron utility process and by the HTTP server alike.
import { checkCall, type ApiHandlers, type CallResult, type SerializedError } from './contract.js';

/** Engine errors are recognised by shape (name/location), so this module needs no engine import. */
export function serializeError(error: unknown): SerializedError {
  const e = error as { name?: string; message?: string; location?: SerializedError['location'] } | null;
  const message = e?.message ?? String(error);
  if (e?.name === 'NotFoundError') return { code: 'not-found', message };
  if (e?.location !== undefined && typeof e.location === 'object') {
    const loc = e.location;
    return { code: 'user-error', message, location: Object.keys(loc).length > 0 ? { ...loc } : undefined };
  }
  return { code: 'internal', message };
}

export async function dispatchCall(handlers: ApiHandlers, method: unknown, args: unknown): Promise<CallResult<unknown>> {
  const checked = checkCall(method, args);
  if (!checked.ok) return checked;
  try {
    const handler = handlers[checked.method] as (a: unknown) => Promise<unknown>;
    return { ok: true, value: await handler(checked.args) };
  } catch (error) {
    return { ok: false, error: serializeError(error) };
  }
}

/** HTTP status for a failed call. */
export function statusOf(error: SerializedError): number {
  switch (error.code) {
    case 'invalid-argument':
    case 'unknown-method':
      return 400;
    case 'forbidden':
      return 403;
    case 'not-found':
      return 404;
    case 'conflict':
      return 409;
    case 'user-error':
      return 422;
    default:
      return 500;
  }
}
