// A progress bar on stderr for long CLI work. On a terminal it redraws in place; when stderr is not a
// terminal (CI logs, pipes) it prints a short line every 10% so logs stay readable.
export class ProgressBar {
  private readonly tty = Boolean(process.stderr.isTTY);
  private lastDecile = -1;
  private value = 0;
  private finished = false;

  constructor(
    private readonly label: string,
    private total: number,
    private readonly unit = '',
    private readonly quiet = false,
  ) {}

  setTotal(total: number): void {
    this.total = total;
  }

  update(value: number, detail = ''): void {
    this.value = value;
    if (this.quiet || this.finished) return;
    const fraction = this.total > 0 ? Math.min(1, value / this.total) : 0;
    if (this.tty) {
      const width = 30;
      const filled = Math.round(fraction * width);
      const bar = '█'.repeat(filled) + '░'.repeat(width - filled);
      const text = `${this.label} ${bar} ${(fraction * 100).toFixed(0).padStart(3)}% ${value.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}${this.unit ? ' ' + this.unit : ''} ${detail}`;
      process.stderr.write(`\r${text.slice(0, (process.stderr.columns ?? 120) - 1)}\x1b[K`);
    } else {
      const decile = Math.floor(fraction * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        process.stderr.write(`${this.label}: ${decile * 10}%${detail ? ' ' + detail : ''}\n`);
      }
    }
  }

  increment(by = 1, detail = ''): void {
    this.update(this.value + by, detail);
  }

  done(detail = ''): void {
    if (this.quiet || this.finished) return;
    this.update(this.total, detail);
    this.finished = true;
    if (this.tty) process.stderr.write('\n');
  }
}
