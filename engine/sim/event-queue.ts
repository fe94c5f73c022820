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
    const heap = this.heap;
    heap.push(entry);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
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
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    const n = heap.length;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let smallest = i;
      if (l < n && before(heap[l], heap[smallest])) smallest = l;
      if (r < n && before(heap[r], heap[smallest])) smallest = r;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
