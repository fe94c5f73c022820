// Reads a text file line by line with line numbers, in large chunks (much faster than readline),
// without holding the whole file in memory.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { UserError } from '../core/errors.js';

export interface NumberedLine {
  text: string;
  line: number;
}

export async function assertReadableFile(file: string, what = 'file'): Promise<void> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new UserError(`${what} is not a file`, { file });
  } catch (e) {
    if (e instanceof UserError) throw e;
    throw new UserError(`${what} not found`, { file });
  }
}

/** Yields every line (without its line ending) with its 1-based line number. Blank lines are yielded too. */
export async function* readLines(file: string): AsyncGenerator<NumberedLine> {
  await assertReadableFile(file);
  const stream = createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  let rest = '';
  let line = 0;
  for await (const chunk of stream as AsyncIterable<string>) {
    const text = rest + chunk;
    let start = 0;
    for (;;) {
      const nl = text.indexOf('\n', start);
      if (nl < 0) break;
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      yield { text: text.slice(start, end), line: ++line };
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) yield { text: rest.endsWith('\r') ? rest.slice(0, -1) : rest, line: ++line };
}
