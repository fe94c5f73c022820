// Reconciliation: where did every event the generator sent end up?
//
// Each event handed to the sender ends in exactly one of: accepted by the hub, throttled (refused
// with ServerBusy and not retried — the original generator's behaviour), dropped with a reason, or
// still in flight when the run ended. The four outcomes are counted where they happen, and the
// in-flight count is read from the sender's own queues at the end; `unaccounted` is then computed
// from the totals, never set. A counting bug anywhere therefore shows up as unaccounted ≠ 0.

import type { DropReason, Reconciliation } from '../ports/pipeline.js';

export type { DropReason, Reconciliation };

export class ReconciliationLedger {
  private sentCount = 0;
  private acceptedCount = 0;
  private throttledCount = 0;
  private readonly drops = new Map<DropReason, number>();

  sent(n: number): void {
    this.sentCount += n;
  }
  accepted(n: number): void {
    this.acceptedCount += n;
  }
  throttled(n: number): void {
    this.throttledCount += n;
  }
  dropped(n: number, reason: DropReason): void {
    if (n > 0) this.drops.set(reason, (this.drops.get(reason) ?? 0) + n);
  }

  /**
   * Events accepted earlier that later expired in the hub are moved from accepted to dropped: an
   * event must have exactly one final outcome.
   */
  expiredAfterAcceptance(n: number): void {
    this.acceptedCount -= n;
    this.dropped(n, 'retention-expired');
  }

  /** The final account; `inFlight` is what the sender still holds (counted from its queues). */
  close(inFlight: number): Reconciliation {
    const droppedByReason = Object.fromEntries([...this.drops].sort()) as Partial<Record<DropReason, number>>;
    const dropped = [...this.drops.values()].reduce((a, b) => a + b, 0);
    return {
      sent: this.sentCount,
      accepted: this.acceptedCount,
      throttled: this.throttledCount,
      dropped,
      droppedByReason,
      inFlight,
      unaccounted: this.sentCount - this.acceptedCount - this.throttledCount - dropped - inFlight,
    };
  }
}
