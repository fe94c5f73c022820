// Process hosts: how the loop's concurrent processes (senders, the stream pump, the slice runner) run.
// On the virtual clock they are kernel processes, so an hour of pipeline runs in seconds and the
// same seed gives the same timeline; on the wall or paced clock they are plain promises.
import type { Clock, EpochMs } from '../ports/clock.js';
import type { ProcessHost } from '../ports/pipeline.js';
import { type SimKernel, VirtualClock } from '../sim/index.js';

export class KernelProcessHost implements ProcessHost {
  readonly clock: VirtualClock;
  private readonly live = new Set<string>();

  constructor(readonly kernel: SimKernel) {
    this.clock = new VirtualClock(kernel);
  }

  spawn<T>(name: string, body: () => Promise<T>): Promise<T> {
    this.live.add(name);
    const process = this.kernel.process(name, body);
    const forget = () => this.live.delete(name);
    process.done.then(forget, forget);
    return process.done;
  }

  track<T>(work: Promise<T>): Promise<T> {
    return this.kernel.track(work);
  }

  async run(options: { until?: EpochMs } = {}): Promise<void> {
    const result = await this.kernel.run({ until: options.until });
    // An empty agenda with processes still waiting means one of them awaits something the kernel does
    // not know about (untracked I/O): virtual time cannot move, so say which instead of hanging.
    if (result.stoppedBy === 'empty' && this.live.size > 0)
      throw new Error(`simulation stalled at ${new Date(result.now).toISOString()}: processes still waiting on untracked work: ${[...this.live].join(', ')}`);
  }
}

/** Real time (wall or paced clock): processes are promises; run() waits for all of them. */
export class RealTimeProcessHost implements ProcessHost {
  private readonly running = new Set<Promise<unknown>>();
  constructor(readonly clock: Clock) {}

  spawn<T>(_name: string, body: () => Promise<T>): Promise<T> {
    const work = Promise.resolve().then(body);
    this.running.add(work);
    const forget = () => this.running.delete(work);
    work.then(forget, forget);
    return work;
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  async run(options: { until?: EpochMs } = {}): Promise<void> {
    const all = Promise.all([...this.running]);
    if (options.until === undefined) {
      await all;
      return;
    }
    await Promise.race([all, this.clock.sleepUntil(options.until)]);
  }
}
