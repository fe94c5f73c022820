// The kernel's agenda: a binary min-heap of scheduled entries ordered by (time, priority, seq).
// `seq` is a counter stamped at scheduling time, so two entries with equal time and priority fire in the
// order they were scheduled — that tie-break is what makes runs reproducible (SimPy's `eid`).

export interface QueueEntry {
  readonly time: number;
  /** Lower fires first among entries at the same time (URGENT = 0, NORMAL = 1, LATE = 2). */
  readonly priority: number;
  readonly seq: number;
  /** Set when the entry was cancelled; cancelled entries are skipped when they reach the top. */
  cancelled: boolean;
}

function before(a: QueueEntry, b: QueueEntry): boolean {
  if (a.time !== b.time) return a.time < b.time;
  if (a.priority !== b.priority) return a.priority < b.priority;
  return a.seq < b.seq;
}

export class EventQueue<E extends QueueEntry> {
  private readonly heap: E[] = [];

  get size(): number {
    return this.heap.length;
  }

  push(entry: E): void {
    // Sift up by moving parents down into the hole, then drop the entry in once (no swaps).
    const heap = this.heap;
    let i = heap.length;
    heap.push(entry);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent];
      if (!before(entry, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = entry;
  }

  /** The next live entry without removing it (cancelled entries on top are discarded). */
  peek(): E | undefined {
    while (this.heap.length > 0 && this.heap[0].cancelled) this.removeTop();
    return this.heap[0];
  }

  pop(): E | undefined {
    const top = this.peek();
    if (top !== undefined) this.removeTop();
    return top;
  }

  private removeTop(): void {
    const heap = this.heap;
    const last = heap.pop() as E;
    const n = heap.length;
    if (n === 0) return;
    // Sift the last entry down from the root, moving the smaller child up into the hole.
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      const right = child + 1;
      if (right < n && before(heap[right], heap[child])) child = right;
      if (!before(heap[child], last)) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
  }
}
