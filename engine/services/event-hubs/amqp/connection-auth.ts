// What one AMQP connection is allowed to touch: the audiences it put tokens for, until they expire
// (spec §2.6). An audience covers every entity path it prefixes (a hub's token covers its partitions).
import { resourcePath } from '../model/sas.js';

export class ConnectionAuth {
  private readonly grants = new Map<string, number>();
  constructor(private readonly acceptAny: boolean) {}

  grant(audience: string, expiresAtMs: number): void {
    this.grants.set(resourcePath(audience), expiresAtMs);
  }

  allows(entityPath: string, nowMs: number): boolean {
    if (this.acceptAny) return true;
    const wanted = resourcePath(entityPath);
    for (const [path, expires] of this.grants) {
      if (expires < nowMs) continue;
      if (path === '' || wanted === path || wanted.startsWith(path + '/')) return true;
    }
    return false;
  }
}
