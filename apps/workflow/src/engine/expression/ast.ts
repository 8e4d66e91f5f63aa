/** Expression dialects: JUEL inside `${...}` / `#{...}`, FEEL after a leading `=`. */
export type Dialect = 'juel' | 'feel';

export type BinaryOperator =
  '+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export type UnaryOperator = '-' | '!' | 'empty';

export type LiteralValue = string | number | boolean | null;

export type Node =
  | { readonly kind: 'literal'; readonly value: LiteralValue; readonly pos: number }
  | { readonly kind: 'identifier'; readonly name: string; readonly pos: number }
  | {
      readonly kind: 'member';
      readonly object: Node;
      /** Static name (`a.b`) or computed key (`a['b']`, `list[0]`). */
      readonly property: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'unary';
      readonly operator: UnaryOperator;
      readonly argument: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'binary';
      readonly operator: BinaryOperator;
      readonly left: Node;
      readonly right: Node;
      readonly pos: number;
    }
  | {
      readonly kind: 'conditional';
      readonly test: Node;
      readonly consequent: Node;
      readonly alternate: Node;
      readonly pos: number;
    };
