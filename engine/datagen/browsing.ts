// Browsing sessions, as the original WebJob sent them: one row per customer per day with
// |round(N(μ, σ), 1)| seconds per category (per-group μ, σ), then a random 50% sample in random
// order (pandas `sample(frac=0.5)`). Every session re-sends a fresh full history with its own seed.
//
// Streaming: rows are produced per block of `shuffleBlockCustomers` customers (6,000 by default,
// i.e. exactly the original's whole-session shuffle); memory is ∝ block size, so 1M customers never
// hold more than one block. A session's stream depends only on (seed, session index), so session k
// is reproducible without generating sessions 0..k-1.
import { Random } from '../core/random.js';
import { DAY_MS, browsingDays, type DatagenConfig } from './config.js';
import { GROUPS, customerGroup } from './groups.js';

/** One message body, with the original's field names in the original's order. */
export interface BrowsingEvent {
  userdatetime: string;
  customerid: number;
  category_t1: number;
  category_t2: number;
  category_t3: number;
}

/** The original's timestamp: Python `datetime(..., tzinfo=utc).isoformat('T')`, e.g. 2017-01-01T06:00:00+00:00. */
export function formatUserDatetime(time: number): string {
  return new Date(time).toISOString().slice(0, 19) + '+00:00';
}

/** The userdatetime of each browsing day (start … as-of, one per day). */
export function userDatetimes(config: DatagenConfig): string[] {
  const days = browsingDays(config);
  const out: string[] = [];
  for (let d = 0; d < days; d++) out.push(formatUserDatetime(config.start + d * DAY_MS));
  return out;
}

/** Python's round(): half to even (pandas uses it for `sample(frac)` sizes). */
function roundHalfEven(x: number): number {
  const f = Math.floor(x);
  const diff = x - f;
  if (diff > 0.5) return f + 1;
  if (diff < 0.5) return f;
  return f % 2 === 0 ? f : f + 1;
}

/** Number of events in one session (201,000 for the defaults). */
export function sessionEventCount(config: DatagenConfig): number {
  const days = browsingDays(config);
  let total = 0;
  for (let b = 1; b <= config.customers; b += config.shuffleBlockCustomers) {
    const n = Math.min(config.shuffleBlockCustomers, config.customers - b + 1);
    total += roundHalfEven(n * days * config.sampleFraction);
  }
  return total;
}

function formatTenths(t: number): string {
  return `${(t / 10) | 0}.${t % 10}`;
}

/**
 * The message body as JSON, compact, numbers with one decimal like Python's float repr
 * (`5.0`, `703.4`): `{"userdatetime":"…","customerid":1,"category_t1":703.4,…}`.
 */
export function formatBrowsingBody(e: BrowsingEvent): string {
  return bodyFromTenths(`{"userdatetime":"${e.userdatetime}","customerid":`, e.customerid, Math.round(e.category_t1 * 10), Math.round(e.category_t2 * 10), Math.round(e.category_t3 * 10));
}

/** The body from its day's prefix (`{"userdatetime":"…","customerid":`) and the values in tenths. */
function bodyFromTenths(prefix: string, customerId: number, t1: number, t2: number, t3: number): string {
  return `${prefix}${customerId},"category_t1":${formatTenths(t1)},"category_t2":${formatTenths(t2)},"category_t3":${formatTenths(t3)}}`;
}

/** Seconds of browsing per customer-day for one block, in tenths of a second: [row*3 + category]. */
function blockValues(config: DatagenConfig, session: number, firstId: number, count: number, days: number): Int32Array {
  const values = new Int32Array(count * days * 3);
  for (let c = 0; c < count; c++) {
    const id = firstId + c;
    const dist = GROUPS[customerGroup(id, config.customers) - 1].browse;
    const rng = Random.derive(config.seed, 'browsing', session, id);
    let base = c * days * 3;
    for (let d = 0; d < days; d++, base += 3) {
      values[base] = Math.abs(Math.round(rng.normal(dist[0].mean, dist[0].sd) * 10));
      values[base + 1] = Math.abs(Math.round(rng.normal(dist[1].mean, dist[1].sd) * 10));
      values[base + 2] = Math.abs(Math.round(rng.normal(dist[2].mean, dist[2].sd) * 10));
    }
  }
  return values;
}

/** One block of a session: its customers' rows and which of them are sent, in message order. */
export interface SessionBlock {
  firstId: number;
  days: number;
  /** Tenths of a second per [row * 3 + category], row = customer offset × days + day. */
  values: Int32Array;
  /** Rows sent, in message order (a uniform random sample of the block's rows, in random order). */
  picks: Uint32Array;
}

/** The blocks of session `session`, generated one at a time (from block `fromBlock`: each block is seeded on its own). */
export function* sessionBlocks(config: DatagenConfig, session: number, fromBlock = 0): Generator<SessionBlock> {
  const days = browsingDays(config);
  let block = fromBlock;
  for (let firstId = 1 + fromBlock * config.shuffleBlockCustomers; firstId <= config.customers; firstId += config.shuffleBlockCustomers, block++) {
    const count = Math.min(config.shuffleBlockCustomers, config.customers - firstId + 1);
    const values = blockValues(config, session, firstId, count, days);
    const rows = count * days;
    const take = roundHalfEven(rows * config.sampleFraction);
    // Partial Fisher–Yates: the first `take` positions of a uniform random permutation are a
    // uniform random sample in random order (what pandas' sample(frac) sends).
    const order = new Uint32Array(rows);
    for (let i = 0; i < rows; i++) order[i] = i;
    const rng = Random.derive(config.seed, 'sample', session, block);
    for (let i = 0; i < take; i++) {
      const j = i + Math.floor(rng.next() * (rows - i));
      const t = order[j];
      order[j] = order[i];
      order[i] = t;
    }
    yield { firstId, days, values, picks: order.subarray(0, take) };
  }
}

/** The events of session `session` (0-based) in message order. */
export function* browsingSession(config: DatagenConfig, session: number): Generator<BrowsingEvent> {
  const stamps = userDatetimes(config);
  for (const { firstId, days, values, picks } of sessionBlocks(config, session)) {
    for (let i = 0; i < picks.length; i++) {
      const row = picks[i];
      const c = (row / days) | 0;
      yield {
        userdatetime: stamps[row - c * days],
        customerid: firstId + c,
        category_t1: values[row * 3] / 10,
        category_t2: values[row * 3 + 1] / 10,
        category_t3: values[row * 3 + 2] / 10,
      };
    }
  }
}

/** A session's message as the sender needs it: its body and the body's UTF-8 size. */
export interface BrowsingMessage {
  readonly customerId: number;
  readonly body: string;
  /** UTF-8 bytes of `body` (it is ASCII, so its length). */
  readonly bytes: number;
}

/** Characters of a body after the customer id, besides the three values: `,"category_tK":` ×3 and `}`. */
const BODY_TAIL_CHARS = ',"category_t1":'.length * 3 + 1;

function decimalDigits(n: number): number {
  let d = 1;
  while (n >= 10) {
    n = (n / 10) | 0;
    d++;
  }
  return d;
}

/** Characters of formatTenths(t) for t ≥ 0: the whole part, the point, one decimal. */
function tenthsChars(t: number): number {
  return decimalDigits((t / 10) | 0) + 2;
}

/**
 * A message whose body is formatted only when someone reads it; its size is known without it. Most
 * messages of a throttled run are refused and never read (seed-demo: 603,000 of 804,000), and building
 * their strings was the generator's largest allocation.
 */
class LazyBrowsingMessage implements BrowsingMessage {
  private text: string | undefined;
  readonly bytes: number;
  constructor(
    private readonly prefix: string,
    readonly customerId: number,
    private readonly t1: number,
    private readonly t2: number,
    private readonly t3: number,
  ) {
    this.bytes = prefix.length + decimalDigits(customerId) + BODY_TAIL_CHARS + tenthsChars(t1) + tenthsChars(t2) + tenthsChars(t3);
  }
  get body(): string {
    return (this.text ??= bodyFromTenths(this.prefix, this.customerId, this.t1, this.t2, this.t3));
  }
}

/**
 * The messages of session `session`, in message order: each body is exactly `formatBrowsingBody` of the
 * matching `browsingSession` event, formatted straight from the block's tenths, and only when read.
 * `firstBlock` supplies block 0 made elsewhere (a worker thread, engine/targets/local/session-prefetch.ts).
 */
export function browsingMessages(config: DatagenConfig, session: number, firstBlock?: () => SessionBlock): IterableIterator<BrowsingMessage> {
  const blocks = firstBlock ? prependBlock(firstBlock, sessionBlocks(config, session, 1)) : sessionBlocks(config, session);
  return new BrowsingMessageIterator(config, blocks);
}

/**
 * A plain iterator rather than a generator: the sender pulls 201,000 messages per session through it,
 * and a generator's resumption per message cost more than the message itself.
 */
class BrowsingMessageIterator implements IterableIterator<BrowsingMessage> {
  private prefixes: string[] | undefined;
  private block: SessionBlock | undefined;
  private next_ = 0;

  constructor(
    private readonly config: DatagenConfig,
    private readonly blocks: Iterator<SessionBlock>,
  ) {}

  [Symbol.iterator](): IterableIterator<BrowsingMessage> {
    return this;
  }

  next(): IteratorResult<BrowsingMessage> {
    let block = this.block;
    while (block === undefined || this.next_ >= block.picks.length) {
      const step = this.blocks.next();
      if (step.done) {
        this.block = undefined;
        return { done: true, value: undefined };
      }
      block = this.block = step.value;
      this.next_ = 0;
    }
    const prefixes = (this.prefixes ??= userDatetimes(this.config).map((stamp) => `{"userdatetime":"${stamp}","customerid":`));
    const { firstId, days, values, picks } = block;
    const row = picks[this.next_++];
    const c = (row / days) | 0;
    return { done: false, value: new LazyBrowsingMessage(prefixes[row - c * days], firstId + c, values[row * 3], values[row * 3 + 1], values[row * 3 + 2]) };
  }
}

function* prependBlock(first: () => SessionBlock, rest: Iterable<SessionBlock>): Generator<SessionBlock> {
  yield first();
  yield* rest;
}
