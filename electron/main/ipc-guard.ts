// Checks every IPC call before it reaches the engine (checklist 17): the sender must be the app's own
// top-level frame, the channel one of the contract's, and the arguments valid for that method.
// Errors go back as data (a CallResult), since Electron's `handle` keeps only an error's message.
import { CHANNEL_PREFIX, checkCall, type CallResult, type MethodName } from '../common/contract.js';
import { isAppUrl } from './navigation.js';

/** The parts of Electron's WebFrameMain the guard reads. */
export interface SenderFrame {
  url: string;
  parent: unknown;
}

export function validateSender(frame: SenderFrame | null | undefined, distDir: string): string | null {
  if (!frame) return 'no sender frame (the frame navigated away or was destroyed)';
  if (frame.parent !== null) return 'calls from subframes are not accepted';
  if (!isAppUrl(frame.url, distDir)) return `sender ${safeOrigin(frame.url)} is not the app`;
  return null;
}

function safeOrigin(raw: string): string {
  try {
    const u = new URL(raw);
    return u.protocol === 'file:' ? 'file://…' : u.origin;
  } catch {
    return 'an unparsable URL';
  }
}

export type Forward = (method: MethodName, args: unknown) => Promise<CallResult<unknown>>;

/**
 * The handler for one channel. `channel` is `c360:<method>`; the method comes from the channel the
 * handler was registered for, never from the message.
 */
export function guardedHandler(channel: string, distDir: string, forward: Forward) {
  const method = channel.startsWith(CHANNEL_PREFIX) ? channel.slice(CHANNEL_PREFIX.length) : '';
  return async (event: { senderFrame: SenderFrame | null }, args: unknown): Promise<CallResult<unknown>> => {
    const refused = validateSender(event.senderFrame, distDir);
    if (refused) return { ok: false, error: { code: 'forbidden', message: refused } };
    const checked = checkCall(method, args);
    if (!checked.ok) return checked;
    return forward(checked.method, checked.args);
  };
}
