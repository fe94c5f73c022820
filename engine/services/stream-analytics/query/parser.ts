// Recursive-descent parser for the Stream Analytics query subset (spec §2.2). Anything outside the subset
// is refused with "not supported: <feature>" at its position, never silently misread.
import { NotSupportedError, UserError } from '../../../core/errors.js';
import type { Cte, CreateTable, DataTypeName, Expr, JoinClause, Query, Script, SelectCore, SelectItem, SourceRef } from './ast.js';
import { tokenize, type SourcePos, type Token } from './lexer.js';

/** Words that end an expression or select item; they cannot be bare aliases. */
const RESERVED = new Set(
  ('select from where group by having into union join inner left right full outer cross apply on as and or not ' +
    'is null like between in case when then else end with timestamp partition over limit order cast try_cast ' +
    'create table match_recognize').split(' '),
);

const TYPE_NAMES: Record<string, DataTypeName> = {
  bigint: 'bigint',
  float: 'float',
  datetime: 'datetime',
  bit: 'bit',
  record: 'record',
  array: 'array',
};

export function parseQuery(text: string, file?: string): Script {
  return new Parser(tokenize(text, file), file).script();
}

class Parser {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    private readonly file?: string,
  ) {}

  // ---- token helpers -------------------------------------------------------------------------
  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  private pos(t: Token = this.peek()): SourcePos {
    return { line: t.line, column: t.column };
  }
  private isKw(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'ident' && t.text.toLowerCase() === word;
  }
  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === 'op' && t.text === op;
  }
  private acceptKw(word: string): boolean {
    if (this.isKw(word)) {
      this.i++;
      return true;
    }
    return false;
  }
  private acceptOp(op: string): boolean {
    if (this.isOp(op)) {
      this.i++;
      return true;
    }
    return false;
  }
  private fail(message: string, t: Token = this.peek()): never {
    throw new UserError(message, { file: this.file, line: t.line, column: t.column });
  }
  private unsupported(feature: string, t: Token = this.peek()): never {
    throw new NotSupportedError(feature, { file: this.file, line: t.line, column: t.column });
  }
  private describe(t: Token): string {
    if (t.kind === 'eof') return 'end of query';
    if (t.kind === 'string') return `'${t.text}'`;
    return `'${t.text}'`;
  }
  private expectKw(word: string): Token {
    if (!this.isKw(word)) this.fail(`expected ${word.toUpperCase()} but found ${this.describe(this.peek())}`);
    return this.next();
  }
  private expectOp(op: string): Token {
    if (!this.isOp(op)) this.fail(`expected '${op}' but found ${this.describe(this.peek())}`);
    return this.next();
  }
  private identifier(what: string): Token {
    const t = this.peek();
    if (t.kind === 'qident' || (t.kind === 'ident' && !RESERVED.has(t.text.toLowerCase()))) return this.next();
    return this.fail(`expected ${what} but found ${this.describe(t)}`);
  }

  // ---- statements ----------------------------------------------------------------------------
  script(): Script {
    const createTables: CreateTable[] = [];
    const ctes: Cte[] = [];
    const statements: Query[] = [];
    while (this.isKw('create')) {
      createTables.push(this.createTable());
      this.acceptOp(';');
    }
    if (this.acceptKw('with')) {
      do {
        const nameTok = this.identifier('a step name');
        this.expectKw('as');
        this.expectOp('(');
        const query = this.query(true);
        this.expectOp(')');
        ctes.push({ name: nameTok.text, query, pos: this.pos(nameTok) });
      } while (this.acceptOp(','));
    }
    while (this.peek().kind !== 'eof') {
      if (this.acceptOp(';')) continue;
      if (this.isKw('with')) this.fail('WITH must come before the first SELECT statement');
      if (this.isKw('create')) this.fail('CREATE TABLE must come before the query');
      if (!this.isKw('select')) {
        if (this.isKw('match_recognize')) this.unsupported('MATCH_RECOGNIZE');
        this.fail(`expected SELECT but found ${this.describe(this.peek())}`);
      }
      statements.push(this.query(false));
    }
    if (statements.length === 0) this.fail('the query has no SELECT statement');
    return { createTables, ctes, statements };
  }

  private createTable(): CreateTable {
    const start = this.expectKw('create');
    this.expectKw('table');
    const name = this.identifier('a table name').text;
    this.expectOp('(');
    const columns: { name: string; type: DataTypeName }[] = [];
    do {
      const col = this.identifier('a column name').text;
      columns.push({ name: col, type: this.dataType() });
    } while (this.acceptOp(','));
    this.expectOp(')');
    return { name, columns, pos: this.pos(start) };
  }

  private dataType(): DataTypeName {
    const t = this.peek();
    if (t.kind !== 'ident') this.fail(`expected a data type but found ${this.describe(t)}`);
    const word = t.text.toLowerCase();
    this.next();
    if (word === 'nvarchar') {
      this.expectOp('(');
      const len = this.next();
      if (!(len.kind === 'ident' && len.text.toLowerCase() === 'max'))
        this.unsupported(`nvarchar(${len.text}) (only nvarchar(max) exists in Stream Analytics)`, len);
      this.expectOp(')');
      return 'nvarchar(max)';
    }
    const type = TYPE_NAMES[word];
    if (!type) this.fail(`unknown data type '${t.text}' (expected bigint, float, nvarchar(max), datetime, bit, record or array)`, t);
    return type;
  }

  private query(inWith: boolean): Query {
    const start = this.peek();
    const selects = [this.selectCore(inWith)];
    while (this.acceptKw('union')) {
      this.acceptKw('all');
      selects.push(this.selectCore(inWith));
    }
    return { selects, pos: this.pos(start) };
  }

  private selectCore(inWith: boolean): SelectCore {
    const start = this.expectKw('select');
    if (this.isKw('distinct')) this.unsupported('SELECT DISTINCT');
    if (this.isKw('top')) this.unsupported('SELECT TOP');
    const items: SelectItem[] = [];
    do items.push(this.selectItem());
    while (this.acceptOp(','));
    let into: SelectCore['into'];
    if (this.isKw('into')) {
      const intoTok = this.next();
      if (inWith) this.fail('INTO is not allowed inside a WITH step', intoTok);
      const t = this.identifier('an output name');
      into = { name: t.text, pos: this.pos(t) };
    }
    this.expectKw('from');
    const from = this.source();
    const joins: JoinClause[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isKw('cross') || this.isKw('outer')) {
        if (this.isKw('apply', 1)) this.unsupported(`${t.text.toUpperCase()} APPLY`);
        if (this.isKw('cross')) this.unsupported('CROSS JOIN');
      }
      if (this.isKw('right') || this.isKw('full')) this.unsupported(`${t.text.toUpperCase()} JOIN`);
      let type: 'inner' | 'left' | undefined;
      if (this.acceptKw('join')) type = 'inner';
      else if (this.isKw('inner') && this.isKw('join', 1)) {
        this.i += 2;
        type = 'inner';
      } else if (this.isKw('left')) {
        this.next();
        this.acceptKw('outer');
        this.expectKw('join');
        type = 'left';
      }
      if (!type) break;
      const source = this.source();
      this.expectKw('on');
      joins.push({ type, source, on: this.expr(), pos: this.pos(t) });
    }
    let where: Expr | undefined;
    if (this.acceptKw('where')) where = this.expr();
    let groupBy: Expr[] | undefined;
    if (this.isKw('group')) {
      this.next();
      this.expectKw('by');
      groupBy = [];
      do groupBy.push(this.expr());
      while (this.acceptOp(','));
    }
    let having: Expr | undefined;
    if (this.acceptKw('having')) having = this.expr();
    if (this.isKw('order')) this.unsupported('ORDER BY');
    if (this.isKw('limit')) this.unsupported('LIMIT DURATION');
    return { items, into, from, joins, where, groupBy, having, pos: this.pos(start) };
  }

  private selectItem(): SelectItem {
    const start = this.peek();
    if (this.isOp('*')) {
      this.next();
      return { expr: { kind: 'star', pos: this.pos(start) }, pos: this.pos(start) };
    }
    if ((start.kind === 'ident' || start.kind === 'qident') && this.isOp('.', 1) && this.isOp('*', 2)) {
      this.i += 3;
      return { expr: { kind: 'star', qualifier: start.text, pos: this.pos(start) }, pos: this.pos(start) };
    }
    // `alias = expr` form
    if ((start.kind === 'ident' || start.kind === 'qident') && this.isOp('=', 1) && !RESERVED.has(start.text.toLowerCase())) {
      this.i += 2;
      return { expr: this.expr(), alias: start.text, pos: this.pos(start) };
    }
    const expr = this.expr();
    let alias: string | undefined;
    if (this.acceptKw('as')) {
      const t = this.peek();
      if (t.kind === 'dquoted' || t.kind === 'string') alias = this.next().text;
      else alias = this.identifier('an alias').text;
    } else if (this.peek().kind === 'qident' || (this.peek().kind === 'ident' && !RESERVED.has(this.peek().text.toLowerCase()))) {
      alias = this.next().text;
    }
    return { expr, alias, pos: this.pos(start) };
  }

  private source(): SourceRef {
    const nameTok = this.identifier('an input or step name');
    if (this.isOp('(')) this.unsupported('table-valued functions in FROM', nameTok);
    const ref: SourceRef = { name: nameTok.text, pos: this.pos(nameTok) };
    if (this.acceptKw('as')) ref.alias = this.identifier('an alias').text;
    else if (this.peek().kind === 'qident' || (this.peek().kind === 'ident' && !RESERVED.has(this.peek().text.toLowerCase())))
      ref.alias = this.next().text;
    for (;;) {
      if (this.isKw('timestamp')) {
        const t = this.next();
        this.expectKw('by');
        if (ref.timestampBy) this.fail('TIMESTAMP BY given twice', t);
        const expr = this.expr();
        let over: Expr[] | undefined;
        if (this.acceptKw('over')) {
          over = [];
          do over.push(this.expr());
          while (this.acceptOp(','));
        }
        ref.timestampBy = { expr, over };
      } else if (this.isKw('partition')) {
        const t = this.next();
        this.expectKw('by');
        if (ref.partitionBy) this.fail('PARTITION BY given twice', t);
        ref.partitionBy = [];
        do ref.partitionBy.push(this.expr());
        while (this.acceptOp(','));
      } else if (this.isKw('into') && this.peek(1).kind === 'int') {
        this.unsupported('INTO <partition count> in FROM');
      } else break;
    }
    return ref;
  }

  // ---- expressions ---------------------------------------------------------------------------
  expr(): Expr {
    return this.orExpr();
  }
  private orExpr(): Expr {
    let left = this.andExpr();
    while (this.isKw('or')) {
      const t = this.next();
      left = { kind: 'binary', op: 'OR', left, right: this.andExpr(), pos: this.pos(t) };
    }
    return left;
  }
  private andExpr(): Expr {
    let left = this.notExpr();
    while (this.isKw('and')) {
      const t = this.next();
      left = { kind: 'binary', op: 'AND', left, right: this.notExpr(), pos: this.pos(t) };
    }
    return left;
  }
  private notExpr(): Expr {
    if (this.isKw('not')) {
      const t = this.next();
      return { kind: 'unary', op: 'NOT', expr: this.notExpr(), pos: this.pos(t) };
    }
    return this.predicate();
  }
  private predicate(): Expr {
    const left = this.additive();
    const t = this.peek();
    if (t.kind === 'op' && ['=', '<>', '!=', '<', '<=', '>', '>=', '!<', '!>'].includes(t.text)) {
      this.next();
      const op = t.text === '!=' ? '<>' : t.text === '!<' ? '>=' : t.text === '!>' ? '<=' : t.text;
      return { kind: 'binary', op, left, right: this.additive(), pos: this.pos(t) };
    }
    if (this.acceptKw('is')) {
      const not = this.acceptKw('not');
      this.expectKw('null');
      return { kind: 'isnull', expr: left, not, pos: this.pos(t) };
    }
    let not = false;
    if (this.isKw('not') && (this.isKw('like', 1) || this.isKw('between', 1) || this.isKw('in', 1))) {
      this.next();
      not = true;
    }
    if (this.acceptKw('like')) return { kind: 'like', expr: left, pattern: this.additive(), not, pos: this.pos(t) };
    if (this.acceptKw('between')) {
      const lo = this.additive();
      this.expectKw('and');
      return { kind: 'between', expr: left, lo, hi: this.additive(), not, pos: this.pos(t) };
    }
    if (this.acceptKw('in')) {
      this.expectOp('(');
      const list: Expr[] = [];
      do list.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
      return { kind: 'in', expr: left, list, not, pos: this.pos(t) };
    }
    return left;
  }
  private additive(): Expr {
    let left = this.multiplicative();
    while (this.isOp('+') || this.isOp('-')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.multiplicative(), pos: this.pos(t) };
    }
    return left;
  }
  private multiplicative(): Expr {
    let left = this.unary();
    while (this.isOp('*') || this.isOp('/') || this.isOp('%')) {
      const t = this.next();
      left = { kind: 'binary', op: t.text, left, right: this.unary(), pos: this.pos(t) };
    }
    return left;
  }
  private unary(): Expr {
    if (this.isOp('-')) {
      const t = this.next();
      const inner = this.unary();
      if (inner.kind === 'literal' && (typeof inner.value === 'bigint' || typeof inner.value === 'number'))
        return { kind: 'literal', value: -inner.value, pos: this.pos(t) };
      return { kind: 'unary', op: '-', expr: inner, pos: this.pos(t) };
    }
    if (this.isOp('+')) {
      this.next();
      return this.unary();
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    const pos = this.pos(t);
    switch (t.kind) {
      case 'int':
        this.next();
        return { kind: 'literal', value: BigInt(t.text), pos };
      case 'float':
        this.next();
        return { kind: 'literal', value: Number(t.text), pos };
      case 'string':
        this.next();
        return { kind: 'literal', value: t.text, pos };
      case 'dquoted':
        this.next();
        return { kind: 'dquoted', text: t.text, pos };
      case 'op':
        if (t.text === '(') {
          this.next();
          if (this.isKw('select')) this.unsupported('sub-queries (use a WITH step)');
          const e = this.expr();
          this.expectOp(')');
          return e;
        }
        if (t.text === '*') this.fail("'*' is only allowed in COUNT(*) and as a select item");
        return this.fail(`unexpected ${this.describe(t)}`);
      case 'eof':
        return this.fail('unexpected end of query');
      default:
        break;
    }
    const word = t.kind === 'ident' ? t.text.toLowerCase() : '';
    if (word === 'null') {
      this.next();
      return { kind: 'literal', value: null, pos };
    }
    if (word === 'true' || word === 'false') {
      // Not documented as literals; refuse rather than guess a type.
      this.unsupported(`boolean literal ${t.text.toUpperCase()} (use 1 or 0)`);
    }
    if (word === 'cast' || word === 'try_cast') {
      this.next();
      this.expectOp('(');
      const expr = this.expr();
      this.expectKw('as');
      const type = this.dataType();
      this.expectOp(')');
      return { kind: 'cast', expr, type, try: word === 'try_cast', pos };
    }
    if (word === 'case') return this.caseExpr();
    if (word === 'system' && this.isOp('.', 1) && this.isKw('timestamp', 2)) {
      this.i += 3;
      if (this.acceptOp('(')) this.expectOp(')');
      return { kind: 'timestamp', pos };
    }
    if (t.kind === 'ident' && RESERVED.has(word) && !(this.isOp('(', 1) && ['left', 'right'].includes(word)))
      this.fail(`unexpected keyword ${t.text.toUpperCase()}`);
    // identifier chain: column ref or (possibly dotted) function call
    const parts: string[] = [this.next().text];
    while (this.isOp('.') && (this.peek(1).kind === 'ident' || this.peek(1).kind === 'qident' || this.peek(1).kind === 'dquoted')) {
      this.next();
      parts.push(this.next().text);
    }
    if (this.isOp('(')) {
      if (parts.length > 1) {
        const prefix = parts[0].toLowerCase();
        if (prefix === 'udf' || prefix === 'uda') this.unsupported(`user-defined function ${parts.join('.')}`, t);
        if (prefix === 'system') this.unsupported(`${parts.join('.')}()`, t);
        this.unsupported(`method-call syntax ${parts.join('.')}()`, t);
      }
      return this.call(parts[0], pos);
    }
    return { kind: 'column', parts, pos };
  }

  private call(name: string, pos: SourcePos): Expr {
    this.expectOp('(');
    let distinct = false;
    const args: Expr[] = [];
    if (this.acceptKw('distinct')) distinct = true;
    else this.acceptKw('all');
    if (!this.isOp(')')) {
      do {
        if (this.isOp('*')) {
          const st = this.next();
          args.push({ kind: 'star', pos: this.pos(st) });
        } else args.push(this.expr());
      } while (this.acceptOp(','));
    }
    this.expectOp(')');
    let over: Expr[] | undefined;
    if (this.isKw('over')) {
      const overTok = this.next();
      const lower = name.toLowerCase();
      if (lower !== 'sessionwindow' && lower !== 'session')
        this.unsupported(`${name}() OVER (…) (analytic functions and TopOne)`, overTok);
      this.expectOp('(');
      this.expectKw('partition');
      this.expectKw('by');
      over = [];
      do over.push(this.expr());
      while (this.acceptOp(','));
      this.expectOp(')');
    }
    return { kind: 'call', name, args, distinct, over, pos };
  }

  private caseExpr(): Expr {
    const start = this.next();
    let operand: Expr | undefined;
    if (!this.isKw('when')) operand = this.expr();
    const whens: { when: Expr; then: Expr }[] = [];
    while (this.acceptKw('when')) {
      const when = this.expr();
      this.expectKw('then');
      whens.push({ when, then: this.expr() });
    }
    if (whens.length === 0) this.fail('CASE needs at least one WHEN … THEN');
    let elseExpr: Expr | undefined;
    if (this.acceptKw('else')) elseExpr = this.expr();
    this.expectKw('end');
    return { kind: 'case', operand, whens, else: elseExpr, pos: this.pos(start) };
  }
}
