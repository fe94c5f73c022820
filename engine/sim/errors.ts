// Errors raised by the simulation kernel. These indicate bugs in the model (a process asked for
// something impossible), not bad user input, so they are plain Errors, not UserErrors.

/** Something tried to schedule an event before the kernel's current time: time never runs backwards. */
export class SchedulingInPastError extends Error {
  constructor(
    readonly requested: number,
    readonly now: number,
    label?: string,
  ) {
    super(
      `cannot schedule ${label ? `"${label}" ` : ''}at ${new Date(requested).toISOString()} (${requested}): ` +
        `the simulation is already at ${new Date(now).toISOString()} (${now})`,
    );
    this.name = 'SchedulingInPastError';
  }
}

/** run() processed more events than allowed: almost always a process rescheduling itself forever. */
export class SimulationOverflowError extends Error {
  constructor(readonly maxEvents: number, readonly now: number, readonly lastLabel?: string) {
    super(
      `simulation exceeded ${maxEvents} events at ${new Date(now).toISOString()}` +
        (lastLabel ? ` (last event: "${lastLabel}")` : '') +
        ' — a process may be rescheduling itself without advancing time',
    );
    this.name = 'SimulationOverflowError';
  }
}

/** A simulated process threw; the run stops, like an un-defused failed event in SimPy. */
export class ProcessFailedError extends Error {
  constructor(readonly processName: string, readonly at: number, override readonly cause: unknown) {
    super(`process "${processName}" failed at ${new Date(at).toISOString()}: ${(cause as Error)?.message ?? String(cause)}`);
    this.name = 'ProcessFailedError';
  }
}
