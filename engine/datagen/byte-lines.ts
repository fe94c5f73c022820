// A byte buffer for writing ASCII lines fast: digits and pre-encoded fragments go straight into a
// Uint8Array that is flushed to the file descriptor when full. The generator writes millions of
// short lines; building them as JS strings made garbage collection a fifth of its run time.
import { closeSync, openSync, writeSync } from 'node:fs';

const CAPACITY = 1 << 20;

export class ByteLineFile {
  private readonly fd: number;
  private readonly buf = new Uint8Array(CAPACITY);
  private len = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  /** Makes room for `n` more bytes (n ≤ 64 KiB). */
  reserve(n: number): void {
    if (this.len + n > CAPACITY) this.flush();
  }

  bytes(b: Uint8Array): void {
    this.buf.set(b, this.len);
    this.len += b.length;
  }

  /** A non-negative integer in decimal. */
  int(n: number): void {
    if (n < 10) {
      this.buf[this.len++] = 48 + n;
      return;
    }
    let digits = 0;
    for (let m = n; m > 0; m = Math.floor(m / 10)) digits++;
    let pos = this.len + digits;
    this.len = pos;
    for (let m = n; m > 0; m = Math.floor(m / 10)) this.buf[--pos] = 48 + (m % 10);
  }

  /** A non-negative number of tenths with exactly one decimal: 7034 → "703.4", 50 → "5.0". */
  tenths(t: number): void {
    this.int(Math.floor(t / 10));
    this.buf[this.len++] = 46; // '.'
    this.buf[this.len++] = 48 + (t % 10);
  }

  byte(b: number): void {
    this.buf[this.len++] = b;
  }

  flush(): void {
    if (this.len > 0) writeSync(this.fd, this.buf, 0, this.len);
    this.len = 0;
  }

  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

export function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (ch) => ch.charCodeAt(0));
}
