// rhea's typings leave out the link fields a server needs (local/remote attach, credit, settled);
// this is the one place that reaches into them, typed.
import type { Delivery, Receiver, Sender } from 'rhea';

export interface Terminus {
  address?: string;
  filter?: unknown;
}

export interface AttachFields {
  source?: Terminus | null;
  target?: Terminus | null;
  snd_settle_mode?: number;
  rcv_settle_mode?: number;
  max_message_size?: number;
  offered_capabilities?: unknown;
  desired_capabilities?: unknown;
  properties?: Record<string, unknown>;
  [k: string]: unknown;
}

export interface LinkInternals {
  name: string;
  credit: number;
  local: { attach: AttachFields };
  session: { outgoing: { available(): number } };
  remote: { attach?: AttachFields };
}

export function internals(link: Sender | Receiver): LinkInternals {
  return link as unknown as LinkInternals;
}

export function markSettled(delivery: Delivery): void {
  (delivery as unknown as { settled: boolean }).settled = true;
}
