// Route matching as the guide's ASP.NET platform does it: path segments compare
// case-insensitively, a trailing slash is tolerated, {Params} capture one segment.
export interface RouteMatch<R> {
  route: R;
  params: Record<string, string>;
}

interface Compiled<R> {
  method: string;
  /** As written in routes.ts: the documentation's spelling. */
  pattern: string;
  segments: string[];
  route: R;
}

export class Router<R> {
  readonly #routes: Compiled<R>[] = [];

  add(method: string, pattern: string, route: R): void {
    this.#routes.push({ method, pattern, segments: split(pattern).map((s) => (isParam(s) ? s : s.toLowerCase())), route });
  }

  /** The route for method and path; "method" when the path exists under other methods only. */
  match(method: string, path: string): RouteMatch<R> | { allowed: string[] } | null {
    const parts = split(path);
    const allowed: string[] = [];
    for (const r of this.#routes) {
      const params = matchSegments(r.segments, parts);
      if (!params) continue;
      if (r.method === method) return { route: r.route, params };
      allowed.push(r.method);
    }
    return allowed.length > 0 ? { allowed } : null;
  }

  /** Every route, for documentation and tests. */
  list(): { method: string; pattern: string; route: R }[] {
    return this.#routes.map((r) => ({ method: r.method, pattern: r.pattern, route: r.route }));
  }
}

function split(path: string): string[] {
  return path.split("/").filter((s) => s.length > 0);
}

function isParam(segment: string): boolean {
  return segment.startsWith("{") && segment.endsWith("}");
}

function matchSegments(pattern: string[], parts: string[]): Record<string, string> | null {
  if (pattern.length !== parts.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < pattern.length; i++) {
    const p = pattern[i];
    if (isParam(p)) {
      try {
        params[p.slice(1, -1)] = decodeURIComponent(parts[i]);
      } catch {
        return null;
      }
    } else if (p !== parts[i].toLowerCase()) {
      return null;
    }
  }
  return params;
}
