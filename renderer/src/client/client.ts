// The one client interface the pages use. Two transports implement it: Electron IPC through the preload
// bridge (desktop) and HTTP + server-sent events (browser mode). Pages never know which.
import type { ApiArgs, ApiResults, EngineEvent, MethodName, SerializedError } from '@contract/contract';

export interface C360Client {
  readonly transport: 'ipc' | 'http';
  call<M extends MethodName>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]>;
  subscribe(listener: (event: EngineEvent) => void): () => void;
}

export class ApiError extends Error {
  readonly code: SerializedError['code'];
  readonly location?: SerializedError['location'];
  constructor(error: SerializedError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
    this.location = error.location;
  }
}
