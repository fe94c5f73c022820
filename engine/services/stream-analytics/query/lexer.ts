// Lexer for the Stream Analytics query language. Every token keeps its 1-based line and column so the
// parser and binder can point at the exact place of a problem.
import { UserError } from '../../../core/errors.js';

export type TokenKind = 'ident' | 'qident' | 'dquoted' | 'string' | 'int' | 'float' | 'op' | 'eof';

export interface Token {
  kind: TokenKind;
  /** Identifier/keyword text as written (brackets removed), string content unescaped, or the operator. */
  text: string;
  line: number;
  column: number;
}

export interface SourcePos {
  line: number;
  column: number;
}

const TWO_CHAR_OPS = new Set(['<=', '>=', '<>', '!=', '!<', '!>']);
const ONE_CHAR_OPS = '(),.;*+-/%=<>';

function isIdentStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 64; // A-Z a-z _ @
}
function isIdentPart(c: number): boolean {
  return isIdentStart(c) || (c >= 48 && c <= 57);
}
function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

export function tokenize(text: string, file?: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const n = text.length;
  const fail = (msg: string, l: number, c: number): never => {
    throw new UserError(msg, { file, line: l, column: c });
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 10) {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === 32 || c === 9 || c === 13 || c === 0xfeff) {
      i++;
      continue;
    }
    const column = i - lineStart + 1;
    // `--` line comment
    if (c === 45 && text.charCodeAt(i + 1) === 45) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    // `/* … */` block comment (accepted; UNVERIFIED in the docs)
    if (c === 47 && text.charCodeAt(i + 1) === 42) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) fail('unterminated /* comment', line, column);
      for (let k = i; k < end; k++) if (text.charCodeAt(k) === 10) { line++; lineStart = k + 1; }
      i = end + 2;
      continue;
    }
    if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), line, column });
      i = j;
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      let j = i;
      let isFloat = false;
      while (j < n && isDigit(text.charCodeAt(j))) j++;
      if (text.charCodeAt(j) === 46) {
        isFloat = true;
        j++;
        while (j < n && isDigit(text.charCodeAt(j))) j++;
      }
      const e = text.charCodeAt(j);
      if (e === 101 || e === 69) {
        let k = j + 1;
        if (text[k] === '+' || text[k] === '-') k++;
        if (isDigit(text.charCodeAt(k))) {
          isFloat = true;
          j = k;
          while (j < n && isDigit(text.charCodeAt(j))) j++;
        }
      }
      tokens.push({ kind: isFloat ? 'float' : 'int', text: text.slice(i, j), line, column });
      i = j;
      continue;
    }
    if (c === 39 /* ' */) {
      let j = i + 1;
      let out = '';
      const startLine = line;
      for (;;) {
        if (j >= n) fail('unterminated string literal', startLine, column);
        const ch = text.charCodeAt(j);
        if (ch === 39) {
          if (text.charCodeAt(j + 1) === 39) {
            out += "'";
            j += 2;
            continue;
          }
          break;
        }
        if (ch === 10) { line++; lineStart = j + 1; }
        out += text[j];
        j++;
      }
      tokens.push({ kind: 'string', text: out, line: startLine, column });
      i = j + 1;
      continue;
    }
    if (c === 91 /* [ */) {
      const end = text.indexOf(']', i + 1);
      if (end < 0) fail('unterminated [identifier]', line, column);
      tokens.push({ kind: 'qident', text: text.slice(i + 1, end), line, column });
      i = end + 1;
      continue;
    }
    if (c === 34 /* " */) {
      const end = text.indexOf('"', i + 1);
      if (end < 0) fail('unterminated "quoted" token', line, column);
      tokens.push({ kind: 'dquoted', text: text.slice(i + 1, end), line, column });
      i = end + 1;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (TWO_CHAR_OPS.has(two)) {
      tokens.push({ kind: 'op', text: two, line, column });
      i += 2;
      continue;
    }
    if (ONE_CHAR_OPS.includes(text[i])) {
      tokens.push({ kind: 'op', text: text[i], line, column });
      i++;
      continue;
    }
    fail(`unexpected character '${text[i]}'`, line, column);
  }
  tokens.push({ kind: 'eof', text: '', line, column: i - lineStart + 1 });
  return tokens;
}
