// The operator CLI: `npm run admin -- <command>`. It works on the same DATABASE_URL as the
// server and applies migrations itself. With --json each command prints one JSON object on
// one line; bad arguments print the usage and exit 2.
import "server-only";
import { parseArgs } from "node:util";
import { migrate, openDatabase, type DatabaseHandle } from "../db";
import { isRunDate, runDailyAutomations } from "../engage/automations";
import { eraseCustomer, exportCustomer } from "../engage/data-rights";
import { EngageError } from "../engage/errors";
import { parseRateLimit } from "../engage/http/rate-limit";
import { createGroup, createKey, createLocation, listKeys, revokeKey, setKeyRateLimit } from "../engage/tenancy";
import { cliWho, recordAudit, type AuditEvent } from "../console/audit";
import { createStaffUser } from "../console/users";
import { ROLES, type Role } from "../console/roles";
import { backupDatabase, restoreDatabase, type BackupSummary } from "./backup";
import { seedDemo } from "./seed-demo";
import { seedScale } from "./seed-scale";

const USAGE = `Usage: npm run admin -- <command> [options]

Commands:
  migrate                                         apply database migrations
  group create --name NAME                        a group (holding business) and its first group key
  location create --group GROUP_ID --name NAME    a location and its first location key
  key create --group GROUP_ID [--location ID]     a new secret key (shown once)
  key list --group GROUP_ID                       the group's keys, masked
  key revoke KEY_ID                               revoke a key at once
  key rate-limit KEY_ID --limit N/WINDOW|default  the key's own rate limit ("1200/60s"), or back to ENGAGE_RATE_LIMIT's
  user create --email EMAIL --role owner|manager|staff --group GROUP_ID [--location ID …] --password-stdin
                                                  a console user; the password is read from standard input
  customer export --group GROUP_ID --id CUSTOMER_ID
                                                  everything held about one customer, as JSON
  customer erase --group GROUP_ID --id CUSTOMER_ID --yes
                                                  erase a customer's personal data (receipts' amounts stay);
                                                  cannot be undone
  automations run [--date YYYY-MM-DD] [--group GROUP_ID]
                                                  the daily automations (birthday, win-back) as of a day
                                                  (default today, UTC), for every group or one
  seed-demo [--if-empty]                          the demo group "Bark & Meow" with a year of data and logins
  backup --to FILE                                copy the SQLite database (safe while the app runs)
  restore --from FILE                             replace the SQLite database with a backup (stop the app first)
  seed-scale --customers N --receipts M [--locations L] [--seed S]
                                                  a new group at benchmark scale (bulk-written, seeded)

Options:
  --json    print one JSON object on one line

The database is DATABASE_URL (default file:./data/engage.sqlite).`;

class UsageError extends Error {}

function positiveInt(value: string | undefined, name: string): number {
  if (value === undefined) throw new UsageError(`${name} is required`);
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new UsageError(`${name} must be a positive whole number`);
  return Number(value);
}

function required(value: string | undefined, name: string): string {
  if (value === undefined || value.trim() === "") throw new UsageError(`${name} is required`);
  return value.trim();
}

function single(values: string[], name: string): string {
  if (values.length !== 1) throw new UsageError(`${name} takes one value here`);
  return values[0];
}

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) throw new UsageError("--password-stdin reads the password from standard input: pipe it in");
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

type Output = { json: Record<string, unknown> | Record<string, unknown>[]; text: string };

async function run(handle: DatabaseHandle, argv: string[]): Promise<Output> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: "boolean" },
      name: { type: "string" },
      group: { type: "string" },
      location: { type: "string", multiple: true },
      "if-empty": { type: "boolean" },
      customers: { type: "string" },
      receipts: { type: "string" },
      locations: { type: "string" },
      seed: { type: "string" },
      email: { type: "string" },
      role: { type: "string" },
      "password-stdin": { type: "boolean" },
      limit: { type: "string" },
      to: { type: "string" },
      from: { type: "string" },
      id: { type: "string" },
      yes: { type: "boolean" },
      date: { type: "string" },
    },
  });
  const [noun, verb, ...rest] = positionals;
  const command = `${noun ?? ""} ${verb ?? ""}`.trim();
  const db = handle.db;
  // Every change made here goes in the group's audit log, as "cli:<os user>".
  const audit = (event: AuditEvent) => recordAudit(db, cliWho(), event);
  switch (command) {
    case "migrate": {
      const applied = await migrate(handle);
      return { json: { Applied: applied }, text: applied.length ? `Applied ${applied.join(", ")}` : "Up to date." };
    }
    case "group create": {
      const g = await createGroup(db, { name: required(values.name, "--name") });
      await audit({ groupId: g.GroupID, action: "group.create", target: { type: "group", id: g.GroupID }, details: { Name: g.Name } });
      await audit({ groupId: g.GroupID, action: "key.create", target: { type: "key", id: g.KeyID }, details: { LocationID: null } });
      const json = { GroupID: g.GroupID, Name: g.Name, Key: g.Key };
      return {
        json,
        text: `Created group ${g.GroupID} "${g.Name}".\nGroup key (shown once, store it now): ${g.Key}`,
      };
    }
    case "location create": {
      const l = await createLocation(db, {
        groupId: positiveInt(values.group, "--group"),
        name: required(values.name, "--name"),
      });
      await audit({ groupId: l.GroupID, action: "location.create", target: { type: "location", id: l.LocationID }, details: { Name: l.Name } });
      await audit({ groupId: l.GroupID, action: "key.create", target: { type: "key", id: l.KeyID }, details: { LocationID: l.LocationID } });
      const json = { LocationID: l.LocationID, GroupID: l.GroupID, Name: l.Name, Key: l.Key };
      return {
        json,
        text: `Created location ${l.LocationID} "${l.Name}" in group ${l.GroupID}.\nLocation key (shown once, store it now): ${l.Key}`,
      };
    }
    case "key create": {
      const k = await createKey(db, {
        groupId: positiveInt(values.group, "--group"),
        locationId: values.location === undefined ? null : positiveInt(single(values.location, "--location"), "--location"),
      });
      await audit({ groupId: k.GroupID, action: "key.create", target: { type: "key", id: k.KeyID }, details: { LocationID: k.LocationID } });
      const json = { KeyID: k.KeyID, Key: k.Key };
      const scope = k.LocationID === null ? `group ${k.GroupID}` : `location ${k.LocationID} of group ${k.GroupID}`;
      return { json, text: `Created key ${k.KeyID} for ${scope}.\nKey (shown once, store it now): ${k.Key}` };
    }
    case "key list": {
      const keys = await listKeys(db, positiveInt(values.group, "--group"));
      const lines = keys.map(
        (k) =>
          `${String(k.KeyID).padStart(5)}  ${k.LocationID === null ? "group     " : `location ${k.LocationID}`.padEnd(10)}  ${k.Key}  ${k.RevokedAt ? `revoked ${k.RevokedAt}` : "live"}`,
      );
      return { json: { Keys: keys }, text: lines.length ? lines.join("\n") : "No keys." };
    }
    case "key rate-limit": {
      const keyId = positiveInt(rest[0], "KEY_ID");
      const limit = required(values.limit, "--limit");
      if (limit.toLowerCase() !== "default") {
        try {
          parseRateLimit(limit);
        } catch (error) {
          throw new UsageError(`--limit: ${(error as Error).message}`);
        }
      }
      const r = await setKeyRateLimit(db, keyId, limit.toLowerCase() === "default" ? null : limit);
      return { json: r, text: `Key ${r.KeyID} now has ${r.RateLimit === null ? "the default rate limit (ENGAGE_RATE_LIMIT)" : `its own rate limit, ${r.RateLimit}`}.` };
    }
    case "backup":
    case "restore": {
      const summary: BackupSummary =
        noun === "backup"
          ? await backupDatabase(handle, required(values.to, "--to"))
          : await restoreDatabase(handle, required(values.from, "--from"));
      // An older backup is brought forward like any older database.
      if (noun === "restore") await migrate(handle);
      const counts = Object.entries(summary.Counts).map(([table, n]) => `${n} ${table}`).join(", ");
      return {
        json: { ...summary },
        text: `${noun === "backup" ? "Backed up to" : "Restored"} ${summary.File} (${summary.Bytes} bytes, integrity ok): ${counts}.`,
      };
    }
    case "key revoke": {
      const r = await revokeKey(db, positiveInt(rest[0], "KEY_ID"));
      const key = await db.selectFrom("api_keys").select(["group_id", "location_id"]).where("id", "=", r.KeyID).executeTakeFirstOrThrow();
      await audit({ groupId: key.group_id, action: "key.revoke", target: { type: "key", id: r.KeyID }, details: { LocationID: key.location_id } });
      return { json: r, text: `Key ${r.KeyID} revoked.` };
    }
    case "user create": {
      const role = required(values.role, "--role") as Role;
      if (!ROLES.includes(role)) throw new UsageError("--role must be owner, manager or staff");
      if (!values["password-stdin"]) throw new UsageError("--password-stdin is required: pipe the password in");
      const password = (await readStdin()).replace(/\r?\n$/, "");
      const user = await createStaffUser(handle, {
        groupId: positiveInt(values.group, "--group"),
        email: required(values.email, "--email"),
        role,
        locationIds: (values.location ?? []).map((l) => positiveInt(l, "--location")),
        password,
      });
      await audit({
        groupId: user.GroupID,
        action: "user.create",
        target: { type: "user", id: user.UserID },
        details: { Email: user.Email, Role: user.Role, LocationIDs: user.LocationIDs },
      });
      return {
        json: { UserID: user.UserID, Email: user.Email },
        text: `Created ${role} ${user.Email} (user ${user.UserID}) in group ${user.GroupID}${user.LocationIDs.length ? ` at location ${user.LocationIDs.join(", ")}` : ""}.`,
      };
    }
    case "seed-scale": {
      const result = await seedScale(handle, {
        customers: positiveInt(values.customers, "--customers"),
        receipts: values.receipts === "0" ? 0 : positiveInt(values.receipts, "--receipts"),
        locations: values.locations === undefined ? 10 : positiveInt(values.locations, "--locations"),
        seed: values.seed === undefined ? undefined : positiveInt(values.seed, "--seed"),
        log: (line) => console.error(`[seed-scale] ${line}`),
      });
      const text = [
        `Seeded group ${result.GroupID}: ${result.Customers} customers, ${result.Receipts} receipts (${result.ReceiptLines} lines), ${result.Offers} offers (${result.Redeemed} redeemed) across ${result.Locations.length} locations in ${result.Seconds.toFixed(1)} s.`,
        `Group key (shown once): ${result.GroupKey}`,
        ...result.Locations.slice(0, 3).map((l) => `${l.Name} (location ${l.LocationID}) key (shown once): ${l.Key}`),
        ...(result.Locations.length > 3 ? [`… and ${result.Locations.length - 3} more locations (--json lists every key)`] : []),
      ].join("\n");
      return { json: { ...result }, text };
    }
    case "automations run": {
      const date = values.date ?? new Date().toISOString().slice(0, 10);
      if (!isRunDate(date)) throw new UsageError("--date must be a real date as YYYY-MM-DD");
      const groupId = values.group === undefined ? undefined : positiveInt(values.group, "--group");
      if (groupId !== undefined && !(await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst())) {
        throw new UsageError(`--group ${groupId}: no such group`);
      }
      // Safe to repeat: each trigger issues at most one offer, however often a day is run.
      const r = await runDailyAutomations(handle, { date, groupId });
      return {
        json: { ...r },
        text: `Daily automations as of ${r.Date}${groupId ? ` for group ${groupId}` : ""}: ${r.Birthday} birthday and ${r.WinBack} win-back offers issued.`,
      };
    }
    case "customer export":
    case "customer erase": {
      const groupId = positiveInt(values.group, "--group");
      const customerId = positiveInt(values.id, "--id");
      if (verb === "erase" && !values.yes) throw new UsageError("erasing cannot be undone: add --yes to confirm");
      const group = await db.selectFrom("groups").select("id").where("id", "=", groupId).executeTakeFirst();
      if (!group) throw new EngageError(404, "not_found", `Group ${groupId} was not found.`);
      // The group's own authority (as its group key), and the audit entry in the same transaction.
      return db.transaction().execute(async (trx) => {
        const ctx = {
          db: trx,
          dialect: handle.dialect,
          scope: { groupId, locationId: null, keyId: null },
          actor: { type: "system" as const, id: null, label: cliWho().actor },
          now: Date.now,
        };
        if (verb === "export") {
          const data = await exportCustomer({ ctx, customerId });
          await recordAudit(trx, cliWho(), {
            groupId,
            action: "customer.export",
            target: { type: "customer", id: customerId },
            details: { Receipts: data.Receipts.length, Offers: data.Offers.length },
          });
          return { json: { ...data }, text: JSON.stringify(data, null, 2) };
        }
        const erased = await eraseCustomer({ ctx, customerId });
        await recordAudit(trx, cliWho(), {
          groupId,
          action: "customer.erase",
          target: { type: "customer", id: customerId },
          details: { AlreadyErased: erased.AlreadyErased, ReceiptsKept: erased.ReceiptsKept },
        });
        return {
          json: { ...erased },
          text: erased.AlreadyErased
            ? `Customer ${customerId} had already been erased (${erased.ErasedAt}).`
            : `Customer ${customerId}'s personal data is erased; ${erased.ReceiptsKept} receipts kept for the books.`,
        };
      });
    }
    case "seed-demo": {
      if (values["if-empty"]) {
        const any = await db.selectFrom("groups").select("id").limit(1).executeTakeFirst();
        if (any) return { json: { Seeded: false }, text: "The database already has data: demo seed skipped." };
      }
      const demo = await seedDemo(handle);
      const text = [
        `Seeded "Bark & Meow" (group ${demo.GroupID}): ${demo.Customers} customers, ${demo.Receipts} receipts, ${demo.Campaigns} campaigns.`,
        `Group key (shown once): ${demo.GroupKey}`,
        ...demo.Locations.map((l) => `${l.Name} (location ${l.LocationID}) key (shown once): ${l.Key}`),
        "",
        `Sign in at ${process.env.CONSOLE_URL ?? `http://localhost:${process.env.PORT ?? 3000}`}/sign-in with:`,
        ...demo.Logins.map((l) => `  ${l.Role.padEnd(8)} ${l.Email.padEnd(30)} password ${l.Password.padEnd(20)} (${l.Locations})`),
      ].join("\n");
      return { json: { Seeded: true, ...demo }, text };
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"` : "no command given");
  }
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const json = argv.includes("--json");
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log(USAGE);
    return 0;
  }
  let handle: DatabaseHandle | undefined;
  try {
    handle = openDatabase();
    await migrate(handle);
    const out = await run(handle, argv);
    console.log(json ? JSON.stringify(out.json) : out.text);
    return 0;
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      return 2;
    }
    if (error instanceof EngageError) {
      const details = Object.entries(error.modelState ?? {}).map(([field, problems]) => `${field}: ${problems.join("; ")}`);
      if (json) console.log(JSON.stringify({ Message: error.message, Code: error.code, ...(error.modelState ? { ModelState: error.modelState } : {}) }));
      else console.error(`error: ${[error.message, ...details].join("\n  ")}`);
      return 1;
    }
    console.error(`error: ${(error as Error).message}`);
    return 1;
  } finally {
    await handle?.close();
  }
}

process.exitCode = await main();
