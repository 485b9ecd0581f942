/**
 * Cheap IR simplifications, applied while the tree is built: nested and/or are flattened, a
 * one-argument and/or is its argument, `not not x` is `x`, and constants fold. A smaller tree
 * is faster to match and easier to read in a compiled pack.
 */
import type { Node } from '../ir.js';

export function and(args: readonly Node[]): Node {
  return junction('and', args);
}

export function or(args: readonly Node[]): Node {
  return junction('or', args);
}

export function not(arg: Node): Node {
  if (arg.op === 'not') return arg.arg;
  if (arg.op === 'const') return { op: 'const', value: !arg.value };
  return { op: 'not', arg };
}

function junction(op: 'and' | 'or', args: readonly Node[]): Node {
  // `and` is absorbed by false and ignores true; `or` the other way round.
  const absorbing = op === 'or';
  const flat: Node[] = [];
  for (const arg of args) {
    if (arg.op === op) {
      flat.push(...arg.args);
    } else if (arg.op === 'const') {
      if (arg.value === absorbing) return arg;
    } else {
      flat.push(arg);
    }
  }
  if (flat.length === 0) return { op: 'const', value: !absorbing };
  if (flat.length === 1) return flat[0] as Node;
  return { op, args: flat };
}

/** Re-applies the simplifications to a whole tree (for trees built without the helpers above). */
export function simplify(node: Node): Node {
  switch (node.op) {
    case 'and':
      return and(node.args.map(simplify));
    case 'or':
      return or(node.args.map(simplify));
    case 'not':
      return not(simplify(node.arg));
    default:
      return node;
  }
}
