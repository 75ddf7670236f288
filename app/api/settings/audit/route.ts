// Settings → Audit log's data (Owners only): the group's entries, newest first, filtered by
// action, actor (a prefix), time range and target, paged with X-Total-Count.
import { z } from "zod";
import { listAuditEntries } from "@/lib/console/audit";
import { consoleRoute, jsonResponse } from "@/lib/console/route";
import { getDatabase } from "@/lib/db";
import { validationFailed } from "@/lib/engage/errors";
import { bind } from "@/lib/engage/schemas/bind";
import { MAX_PAGE_SIZE } from "@/lib/engage/schemas/query";

const instant = z
  .string()
  .trim()
  .refine((v) => /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v) && !Number.isNaN(Date.parse(v)), "must be an ISO 8601 date or time")
  .transform((v) => Date.parse(v));
const whole = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .refine((n) => n >= min && n <= max, `must be from ${min} to ${max}`);

const filtersSchema = z.object({
  Action: z.string().trim().max(64).optional(),
  Actor: z.string().trim().max(254).optional(),
  From: instant.optional(),
  To: instant.optional(),
  /** "customer:123", "customer" or "123". */
  Target: z.string().trim().max(200).optional(),
  Page: whole(1, 1_000_000).optional(),
  PageSize: whole(1, MAX_PAGE_SIZE).optional(),
});

export const GET = consoleRoute({
  permission: "audit",
  handler: async ({ user, request }) => {
    const query: Record<string, string> = {};
    for (const [name, value] of new URL(request.url).searchParams) if (!(name in query)) query[name] = value;
    const bound = bind(filtersSchema, query);
    if (!bound.ok) throw validationFailed(bound.modelState);
    const f = bound.value;
    let targetType: string | undefined;
    let targetId: string | undefined;
    if (f.Target) {
      const colon = f.Target.indexOf(":");
      if (colon >= 0) {
        targetType = f.Target.slice(0, colon).trim() || undefined;
        targetId = f.Target.slice(colon + 1).trim() || undefined;
      } else if (/^[a-z]+$/.test(f.Target)) {
        targetType = f.Target;
      } else {
        targetId = f.Target;
      }
    }
    const page = f.Page ?? 1;
    const pageSize = f.PageSize ?? 50;
    const { items, total } = await listAuditEntries((await getDatabase()).db, user.groupId, {
      action: f.Action || undefined,
      actor: f.Actor || undefined,
      from: f.From,
      to: f.To,
      targetType,
      targetId,
      page,
      pageSize,
    });
    return jsonResponse(items, 200, { "x-total-count": String(total) });
  },
});
