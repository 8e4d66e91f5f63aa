import { type BindValue, namedBinder } from '@app/auth';

/**
 * A WHERE clause built from SQL fragments and bound values, never from user text: `bind` adds a value
 * and answers its placeholder. Positional (`$1`) for a statement sent through `queryRows`, named (unique
 * per instance, `namedBinder`) for a query builder — so the list's raw statements and the builder queries
 * of the same filters (legacy lists, exports) read one definition.
 */
export class SqlWhere {
  private readonly clauses: string[] = [];
  /** The bound values in placeholder order (positional style). */
  readonly values: unknown[] = [];
  private readonly named?: ReturnType<typeof namedBinder>;

  constructor(style: 'positional' | 'named' = 'positional') {
    if (style === 'named') this.named = namedBinder('crm_w');
  }

  bind: BindValue = (value) => {
    if (this.named) return this.named.bind(value);
    this.values.push(value);
    return `$${this.values.length}`;
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
    return this.named?.parameters ?? {};
  }
}
