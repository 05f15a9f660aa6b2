/**
 * URI template matching: a trie over path segments, `{Name}` segments capture one segment.
 * Literal segments win over captures, so `/Sessions/Members` style siblings stay exact.
 */
import type { RouteDef } from './route.js';

interface Node {
  readonly literal: Map<string, Node>;
  capture: { name: string; node: Node } | undefined;
  route: RouteDef | undefined;
}

const node = (): Node => ({ literal: new Map(), capture: undefined, route: undefined });

export interface Match {
  readonly route: RouteDef;
  readonly params: Record<string, string>;
}

export class Router {
  private readonly root = node();
  readonly routes: RouteDef[] = [];

  add(r: RouteDef): void {
    let n = this.root;
    for (const seg of r.path.split('/').filter((s) => s !== '')) {
      const cap = /^\{(\w+)\}$/.exec(seg);
      if (cap) {
        if (n.capture && n.capture.name !== cap[1])
          throw new Error(`route ${r.path}: capture {${cap[1]}} clashes with {${n.capture.name}}`);
        n.capture ??= { name: cap[1]!, node: node() };
        n = n.capture.node;
      } else {
        let next = n.literal.get(seg);
        if (!next) n.literal.set(seg, (next = node()));
        n = next;
      }
    }
    if (n.route) throw new Error(`route ${r.path} registered twice`);
    n.route = r;
    this.routes.push(r);
  }

  /** The route for a path (no query, no trailing slash) and its decoded captures. */
  match(path: string): Match | undefined {
    const segs = path.split('/').filter((s) => s !== '');
    const params: Record<string, string> = {};
    const walk = (n: Node, i: number): RouteDef | undefined => {
      if (i === segs.length) return n.route;
      const seg = segs[i]!;
      const lit = n.literal.get(seg);
      if (lit) {
        const r = walk(lit, i + 1);
        if (r) return r;
      }
      if (n.capture) {
        let v: string;
        try {
          v = decodeURIComponent(seg);
        } catch {
          return undefined;
        }
        const r = walk(n.capture.node, i + 1);
        if (r) {
          params[n.capture.name] = v;
          return r;
        }
      }
      return undefined;
    };
    const route = walk(this.root, 0);
    return route ? { route, params } : undefined;
  }
}
