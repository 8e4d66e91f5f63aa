/**
 * A WHERE clause built from SQL fragments and bound values, never from user text: `bind` adds a value
 * and answers its placeholder. Positional (`$1`) for a statement sent through `queryRows`, named
 * (`:crm_w1`) for a query builder — so the list's raw statements and the builder queries of the same
 * filters (legacy lists, exports) read one definition.
 */
export class SqlWhere {
  private readonly clauses: string[] = [];
  readonly values: unknown[] = [];

  constructor(private readonly style: 'positional' | 'named' = 'positional') {}

  bind = (value: unknown): string => {
    this.values.push(value);
    return this.style === 'named' ? `:crm_w${this.values.length}` : `$${this.values.length}`;
  };

  and(clause: string): this {
    this.clauses.push(clause);
    return this;
  }

  get sql(): string {
    return this.clauses.length === 0 ? 'TRUE' : this.clauses.map((c) => `(${c})`).join(' AND ');
  }

  /** The bound values by name (named style). */
  get parameters(): Record<string, unknown> {
    return Object.fromEntries(this.values.map((value, i) => [`crm_w${i + 1}`, value]));
  }
}
