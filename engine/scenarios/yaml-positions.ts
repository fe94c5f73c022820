// Maps a path inside a parsed YAML document (["eventHubs", "throughputUnits"]) to a line and column,
// so every scenario error can say where in the file the problem is.
import { isMap, isScalar, isSeq, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  column: number;
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === 'string' ? key : undefined;
}

/**
 * The position of the node at `path`; with `atKey`, the position of the key of the last segment.
 * A path that goes beyond the document (a missing key) resolves to the deepest existing ancestor.
 */
export function positionOf(doc: Document, lines: LineCounter, path: readonly (string | number)[], atKey = false): Position {
  let node: unknown = doc.contents;
  let best: Node | undefined = doc.contents ?? undefined;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find((p) => keyText(p.key) === String(seg));
      if (!pair) break;
      if (last && atKey && pair.key && (pair.key as Node).range) {
        best = pair.key as Node;
        break;
      }
      node = pair.value;
      if (node && (node as Node).range) best = node as Node;
      else if (pair.key && (pair.key as Node).range) best = pair.key as Node;
    } else if (isSeq(node) && typeof seg === 'number') {
      node = node.items[seg];
      if (!node) break;
      if ((node as Node).range) best = node as Node;
    } else break;
  }
  const offset = best?.range?.[0] ?? 0;
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}
