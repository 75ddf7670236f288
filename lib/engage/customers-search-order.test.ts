// GET /v1/Customers?Query=… in name order, checked against a plain reading of the rules: every
// customer whose last name, first name or email starts with the word, or whose ExternalID is
// it; an exact match first; customers without a last name last; then last name, first name and
// CustomerID; erased customers never. The server reads a name-like word's page from each
// alternative's first rows (customers.ts), so pages, ties, the direction, exact matches, erased
// and nameless customers are all exercised here, with the counts.
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { normalizeName } from "./customers";
import type { Customer } from "./schemas/customer";
import { startTestServer, type Tenant, type TestServer } from "./testing/harness";

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

interface Person {
  CustomerID: number;
  FirstName: string;
  LastName: string | null;
  Email: string | null;
  ExternalID: string | null;
  erased: boolean;
}

const LAST = ["Adams", "Jameson", "James", "Carter", "Olsen", "Smith", null];
const FIRST = ["James", "Jamie", "Carter", "Olivia", "Ann"];

function expected(people: Person[], word: string, descending: boolean): number[] {
  const name = normalizeName(word)!;
  const lower = word.toLowerCase();
  const starts = (value: string | null, prefix: string) => value !== null && value.startsWith(prefix);
  const matches = people.filter(
    (p) =>
      !p.erased &&
      (starts(normalizeName(p.LastName), name) || starts(normalizeName(p.FirstName), name) || starts(p.Email, lower) || p.ExternalID === word),
  );
  const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a! < b! ? -1 : 1);
  return matches
    .sort((a, b) => {
      const exact = Number(a.ExternalID !== word) - Number(b.ExternalID !== word);
      if (exact !== 0) return exact;
      const la = normalizeName(a.LastName);
      const lb = normalizeName(b.LastName);
      if ((la === null) !== (lb === null)) return la === null ? 1 : -1;
      const dir = descending ? -1 : 1;
      return (
        dir * cmp(la, lb) ||
        dir * cmp(normalizeName(a.FirstName) ?? "", normalizeName(b.FirstName) ?? "") ||
        a.CustomerID - b.CustomerID
      );
    })
    .map((p) => p.CustomerID);
}

describe("GET /v1/Customers?Query= in name order", () => {
  let tenant: Tenant;
  const people: Person[] = [];

  beforeAll(async () => {
    tenant = await server.createTenant(1);
    let n = 0;
    for (const last of LAST) {
      for (const first of FIRST) {
        // Three of each name: ties broken by CustomerID across pages.
        for (let copy = 0; copy < 3; copy++) {
          n++;
          const email = n % 4 === 0 ? null : `${first.toLowerCase()}.${(last ?? "y").toLowerCase()}${n}@example.com`;
          const body: Record<string, unknown> = { FirstName: first, LastName: last, Email: email, Phone: `970555${String(n).padStart(4, "0")}` };
          if (n === 7) body.ExternalID = "james";
          if (n === 50) body.ExternalID = "carter";
          const r = await server.call<Customer>("POST", "/v1/Customers", { key: tenant.groupKey, body });
          expect(r.status, r.text).toBe(201);
          people.push({ CustomerID: r.json.CustomerID, FirstName: first, LastName: last, Email: email, ExternalID: (body.ExternalID as string) ?? null, erased: false });
        }
      }
    }
    // Erased customers are gone from every search (their names and email are emptied too).
    for (const p of people.filter((_, i) => i % 11 === 5)) {
      const r = await server.call("POST", `/v1/Customers/${p.CustomerID}/Erase`, { key: tenant.groupKey });
      expect(r.status, r.text).toBe(200);
      p.erased = true;
    }
  });

  for (const word of ["james", "jam", "carter", "ol", "a", "smith", "Adams", "nobody", "j"]) {
    for (const sort of ["name", "-name"]) {
      test(`Query=${word}, Sort=${sort}: every page as the rules order them, with the total`, async () => {
        const all = expected(people, word, sort === "-name");
        const pageSize = 7;
        const pages = Math.max(1, Math.ceil(all.length / pageSize)) + 1;
        for (let page = 1; page <= pages; page++) {
          const r = await server.call<Customer[]>(
            "GET",
            `/v1/Customers?Query=${encodeURIComponent(word)}&Sort=${sort}&Page=${page}&PageSize=${pageSize}`,
            { key: tenant.groupKey },
          );
          expect(r.status, r.text).toBe(200);
          expect(r.headers.get("x-total-count")).toBe(String(all.length));
          expect(
            r.json.map((c) => c.CustomerID),
            `page ${page}`,
          ).toEqual(all.slice((page - 1) * pageSize, page * pageSize));
        }
      });
    }
  }

  test("a second word narrows the first word's alternatives; audience filters too", async () => {
    const r = await server.call<Customer[]>("GET", "/v1/Customers?Query=james%20smith&PageSize=200", { key: tenant.groupKey });
    expect(r.status).toBe(200);
    const both = (p: Person, w: string) =>
      [normalizeName(p.LastName), normalizeName(p.FirstName), p.Email].some((v) => v?.startsWith(w)) || p.ExternalID === w;
    const want = expected(people, "james", false).filter((id) => both(people.find((p) => p.CustomerID === id)!, "smith"));
    expect(r.json.map((c) => c.CustomerID)).toEqual(want);
    expect(r.headers.get("x-total-count")).toBe(String(want.length));
  });
});
