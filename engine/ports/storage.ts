// Ports for storage: the blob store Stream Analytics writes to and Data Factory reads from,
// and the warehouse that holds reference tables and enriched profiles.

export interface ObjectInfo {
  name: string;
  size: number;
}

export interface ObjectStore {
  put(container: string, name: string, data: Uint8Array | string): Promise<void>;
  append(container: string, name: string, data: Uint8Array | string): Promise<void>;
  get(container: string, name: string): Promise<Uint8Array>;
  list(container: string, prefix?: string): Promise<ObjectInfo[]>;
}

export interface EnrichedProfileRow {
  customerID: number;
  label: number;
  probabilities: [number, number, number, number];
  features: Record<string, number | string>;
}

export interface Warehouse {
  writeEnrichedProfiles(rows: readonly EnrichedProfileRow[]): Promise<void>;
  close(): Promise<void>;
}
