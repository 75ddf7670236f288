// The path and query a page was asked for, so that signing in comes back to the same view
// (filters, page, a looked-up code) and not only to the same page.
type SearchParams = Record<string, string | string[] | undefined>;

export function pathWithQuery(path: string, searchParams: SearchParams): string {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(searchParams)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) query.append(name, v);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
