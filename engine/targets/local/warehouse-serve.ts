// The warehouse thread's side of warehouse-thread.ts: opens the warehouse, replies "opened" (or why it
// could not), loads the reference tables, then carries out the requests in the order they were posted.
// Appends are not answered (a failure is kept and given as the answer to every later request); every
// other request is answered with its id. A failure is sent as plain data: name, message and location.
import { parentPort, workerData } from 'node:worker_threads';
import { UserError } from '../../core/errors.js';
import { WarehouseJob, type WarehouseJobOptions } from './warehouse-job.js';
import type { SerializedError, WarehouseReply, WarehouseRequest } from './warehouse-protocol.js';

const port = parentPort!;

function serialize(error: unknown): SerializedError {
  const e = error instanceof Error ? error : new Error(String(error));
  return { name: e.name, message: e instanceof UserError ? e.message : (e.stack ?? e.message), ...(e instanceof UserError ? { location: e.location } : {}) };
}

const reply = (message: WarehouseReply) => port.postMessage(message);

let job: WarehouseJob | undefined;
let failure: SerializedError | undefined;
try {
  job = new WarehouseJob(workerData.options as WarehouseJobOptions);
  reply({ id: 0 });
  job.loadReference();
} catch (error) {
  failure = serialize(error);
  if (!job) reply({ id: 0, error: failure });
}

port.on('message', (request: WarehouseRequest) => {
  if (request.op === 'close') {
    try {
      job?.close();
      reply({ id: request.id });
    } catch (error) {
      reply({ id: request.id, error: serialize(error) });
    }
    port.close();
    return;
  }
  if (failure || !job) {
    if (request.op !== 'append') reply({ id: request.id, error: failure! });
    return;
  }
  try {
    switch (request.op) {
      case 'append':
        job.append(request.blob, request.bytes);
        return;
      case 'etl':
        reply({ id: request.id, etl: job.etl() });
        return;
      case 'write':
        job.writeEnriched(request.values);
        reply({ id: request.id });
        return;
      case 'scores':
        job.writeScores(request.output, request.labels, request.probabilities);
        reply({ id: request.id });
        return;
    }
  } catch (error) {
    // A failed ETL is the activity's failure, answered and retried; anything else stops the warehouse.
    const serialized = serialize(error);
    if (request.op === 'etl') reply({ id: request.id, error: serialized, skips: job.takeSkips() });
    else {
      failure = serialized;
      if (request.op !== 'append') reply({ id: request.id, error: serialized });
    }
  }
});
