// The operator CLI, run as operators run it: a separate process on the same DATABASE_URL.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { startTestServer, type TestServer } from "../engage/testing/harness";

const run = promisify(execFile);
let server: TestServer;
let databaseUrl: string;

async function admin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(
      process.execPath,
      ["--import", "tsx", "--import", "./lib/node/server-only-hook.mjs", "lib/cli/main.ts", ...args],
      { env: { ...process.env, DATABASE_URL: databaseUrl } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  server = await startTestServer();
  // The CLI works on the server's own database, whichever dialect the suite runs on.
  databaseUrl = server.databaseUrl;
});
afterAll(async () => {
  await server?.close();
});

describe("npm run admin", () => {
  test("creates a group, a location and keys that the API accepts, and revokes them", async () => {
    const group = await admin(["group", "create", "--name", "Socks & Co", "--json"]);
    expect(group.code).toBe(0);
    expect(group.stdout.trim().split("\n")).toHaveLength(1);
    const g = JSON.parse(group.stdout) as { GroupID: number; Name: string; Key: string };
    expect(g).toEqual({ GroupID: expect.any(Number), Name: "Socks & Co", Key: expect.stringMatching(/^eng_grp_[0-9A-Za-z]{28}$/) });

    const location = await admin(["location", "create", "--group", String(g.GroupID), "--name", "Durango", "--json"]);
    expect(location.code).toBe(0);
    const l = JSON.parse(location.stdout) as { LocationID: number; GroupID: number; Name: string; Key: string };
    expect(l).toEqual({ LocationID: expect.any(Number), GroupID: g.GroupID, Name: "Durango", Key: expect.stringMatching(/^eng_loc_/) });

    const key = await admin(["key", "create", "--group", String(g.GroupID), "--location", String(l.LocationID), "--json"]);
    const k = JSON.parse(key.stdout) as { KeyID: number; Key: string };
    expect(k).toEqual({ KeyID: expect.any(Number), Key: expect.stringMatching(/^eng_loc_/) });

    for (const secret of [g.Key, l.Key, k.Key]) {
      expect((await server.call("GET", "/v1/Customers", { key: secret })).status).toBe(200);
    }

    const list = await admin(["key", "list", "--group", String(g.GroupID), "--json"]);
    const keys = (JSON.parse(list.stdout) as { Keys: { KeyID: number; Key: string; RevokedAt: string | null }[] }).Keys;
    expect(keys).toHaveLength(3);
    // Listed masked: the secret itself is never shown again.
    for (const listed of keys) expect(listed.Key).toMatch(/^eng_(grp|loc)_…[0-9A-Za-z]{4}$/);
    expect(list.stdout).not.toContain(k.Key);

    const revoke = await admin(["key", "revoke", String(k.KeyID), "--json"]);
    expect(revoke.code).toBe(0);
    expect((await server.call("GET", "/v1/Customers", { key: k.Key })).status).toBe(401);
    // The location's other key still works: revoking one key leaves the rest live.
    expect((await server.call("GET", "/v1/Customers", { key: l.Key })).status).toBe(200);
  });

  test("speaks words without --json", async () => {
    const group = await admin(["group", "create", "--name", "Wordy"]);
    expect(group.code).toBe(0);
    expect(group.stdout).toMatch(/Created group \d+ "Wordy"/);
    expect(group.stdout).toMatch(/eng_grp_/);
  });

  test.each([
    [["bogus"]],
    [[]],
    [["group", "create"]],
    [["location", "create", "--group", "x", "--name", "A"]],
    [["key", "create", "--group", "1", "--unknown"]],
    [["key", "revoke"]],
  ])("bad arguments %j: usage and exit 2", async (args) => {
    const result = await admin(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("Usage: npm run admin");
  });

  test("a location of a group that does not exist is refused", async () => {
    const result = await admin(["location", "create", "--group", "999999", "--name", "Nowhere", "--json"]);
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toMatchObject({ Code: "not_found" });
  });
});
