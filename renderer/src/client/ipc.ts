// Desktop: the preload exposes one function per contract method (window.c360.<method>) plus onEvent.
import type { ApiArgs, ApiResults, CallResult, EngineEvent, MethodName } from '@contract/contract';
import { ApiError, type C360Client } from './client';

export type PreloadBridge = { [M in MethodName]: (args: ApiArgs<M>) => Promise<CallResult<ApiResults[M]>> } & {
  onEvent(listener: (event: EngineEvent) => void): () => void;
};

export function ipcClient(bridge: PreloadBridge): C360Client {
  return {
    transport: 'ipc',
    async call<M extends MethodName>(method: M, args: ApiArgs<M>): Promise<ApiResults[M]> {
      const fn = bridge[method] as (a: ApiArgs<M>) => Promise<CallResult<ApiResults[M]>>;
      const result = await fn(args);
      if (!result.ok) throw new ApiError(result.error);
      return result.value;
    },
    subscribe: (listener) => bridge.onEvent(listener),
  };
}
