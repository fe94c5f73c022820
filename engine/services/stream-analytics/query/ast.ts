// Syntax tree of a Stream Analytics query. Every node carries its source position for error messages.
import type { SourcePos } from './lexer.js';

export type DataTypeName = 'bigint' | 'float' | 'nvarchar(max)' | 'datetime' | 'bit' | 'record' | 'array';

export type Expr =
  | { kind: 'literal'; value: null | bigint | number | string; pos: SourcePos }
  | { kind: 'column'; parts: string[]; pos: SourcePos }
  /** A "double-quoted" token: an identifier if it names a field, else a string literal (binder decides). */
  | { kind: 'dquoted'; text: string; pos: SourcePos }
  | { kind: 'star'; qualifier?: string; pos: SourcePos }
  | { kind: 'call'; name: string; args: Expr[]; distinct: boolean; over?: Expr[]; pos: SourcePos }
  | { kind: 'cast'; expr: Expr; type: DataTypeName; try: boolean; pos: SourcePos }
  | { kind: 'case'; operand?: Expr; whens: { when: Expr; then: Expr }[]; else?: Expr; pos: SourcePos }
  | { kind: 'binary'; op: string; left: Expr; right: Expr; pos: SourcePos }
  | { kind: 'unary'; op: '-' | 'NOT'; expr: Expr; pos: SourcePos }
  | { kind: 'isnull'; expr: Expr; not: boolean; pos: SourcePos }
  | { kind: 'like'; expr: Expr; pattern: Expr; not: boolean; pos: SourcePos }
  | { kind: 'between'; expr: Expr; lo: Expr; hi: Expr; not: boolean; pos: SourcePos }
  | { kind: 'in'; expr: Expr; list: Expr[]; not: boolean; pos: SourcePos }
  | { kind: 'timestamp'; pos: SourcePos };

export interface SelectItem {
  expr: Expr;
  alias?: string;
  pos: SourcePos;
}

export interface SourceRef {
  name: string;
  alias?: string;
  timestampBy?: { expr: Expr; over?: Expr[] };
  partitionBy?: Expr[];
  pos: SourcePos;
}

export interface JoinClause {
  type: 'inner' | 'left';
  source: SourceRef;
  on: Expr;
  pos: SourcePos;
}

export interface SelectCore {
  items: SelectItem[];
  into?: { name: string; pos: SourcePos };
  from: SourceRef;
  joins: JoinClause[];
  where?: Expr;
  groupBy?: Expr[];
  having?: Expr;
  pos: SourcePos;
}

export interface Query {
  selects: SelectCore[];
  pos: SourcePos;
}

export interface Cte {
  name: string;
  query: Query;
  pos: SourcePos;
}

export interface CreateTable {
  name: string;
  columns: { name: string; type: DataTypeName }[];
  pos: SourcePos;
}

export interface Script {
  createTables: CreateTable[];
  ctes: Cte[];
  statements: Query[];
}
