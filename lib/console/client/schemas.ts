// The console's own wire shapes and the zod schemas its forms validate with. They mirror the
// rules of the server's schemas (lib/console/setup.ts, settings.ts, users.ts), which import
// server-only code and so cannot run in the browser; the server checks again either way.
import { z } from "zod";

export const ROLE_VALUES = ["owner", "manager", "staff"] as const;
export type RoleValue = (typeof ROLE_VALUES)[number];

export interface Person {
  UserID: string;
  Email: string;
  Name: string;
  Role: RoleValue;
  GroupID: number;
  LocationIDs: number[];
  Active: boolean;
}

export interface Location {
  LocationID: number;
  Name: string;
}

export interface Connection {
  Mode: "embedded" | "remote";
  RemoteURL: string | null;
  Keys: { LocationID: number | null; Last4: string }[];
}

export const MIN_PASSWORD = 10;
export const MAX_PASSWORD = 128;

const requiredText = (max: number) =>
  z.string().trim().min(1, "Required").max(max, `Must be at most ${max} characters`);

const email = z.string().trim().min(1, "Required").email("Enter a valid email address, such as name@example.com");

const newPassword = z
  .string()
  .min(MIN_PASSWORD, `Must be at least ${MIN_PASSWORD} characters`)
  .max(MAX_PASSWORD, `Must be at most ${MAX_PASSWORD} characters`);

export const signInSchema = z.object({
  email,
  password: z.string().min(1, "Required"),
});
export type SignInValues = z.infer<typeof signInSchema>;

export const setupSchema = z.object({
  GroupName: requiredText(100),
  Locations: z
    .array(z.object({ Name: requiredText(100) }))
    .min(1, "Add at least one location")
    .max(20, "At most 20 locations here; add more later in Settings"),
  Name: requiredText(100),
  Email: email,
  Password: newPassword,
});
export type SetupValues = z.infer<typeof setupSchema>;

/** Staff work at exactly one location, a Manager at one or more, an Owner at all of them. */
function checkRoleLocations(value: { Role: RoleValue; LocationIDs: number[] }, ctx: z.RefinementCtx) {
  if (value.Role === "staff" && value.LocationIDs.length !== 1) {
    ctx.addIssue({ code: "custom", path: ["LocationIDs"], message: "Staff work at exactly one location: choose one" });
  }
  if (value.Role === "manager" && value.LocationIDs.length === 0) {
    ctx.addIssue({ code: "custom", path: ["LocationIDs"], message: "Choose at least one location for a Manager" });
  }
}

export const personCreateSchema = z
  .object({
    Name: requiredText(100),
    Email: email,
    Role: z.enum(ROLE_VALUES),
    LocationIDs: z.array(z.number().int().positive()),
    Password: newPassword,
  })
  .superRefine(checkRoleLocations);
export type PersonCreateValues = z.infer<typeof personCreateSchema>;

export const personAccessSchema = z
  .object({
    Role: z.enum(ROLE_VALUES),
    LocationIDs: z.array(z.number().int().positive()),
  })
  .superRefine(checkRoleLocations);
export type PersonAccessValues = z.infer<typeof personAccessSchema>;

export const passwordResetSchema = z.object({ Password: newPassword });
export type PasswordResetValues = z.infer<typeof passwordResetSchema>;

export const locationNameSchema = z.object({ Name: requiredText(100) });
export type LocationNameValues = z.infer<typeof locationNameSchema>;

const ENGAGE_KEY = /^eng_(grp|loc)_[0-9A-Za-z]{28}$/;

export const connectionSchema = z
  .object({
    Mode: z.enum(["embedded", "remote"]),
    RemoteURL: z.string().trim().max(300, "Must be at most 300 characters"),
    GroupKey: z.string().trim(),
    LocationKeys: z.array(z.object({ LocationID: z.number(), Key: z.string().trim() })),
  })
  .superRefine((value, ctx) => {
    if (value.Mode !== "remote") return;
    if (!/^https?:\/\/\S+$/i.test(value.RemoteURL)) {
      ctx.addIssue({ code: "custom", path: ["RemoteURL"], message: "Enter the Engage server's address, such as https://engage.example.com" });
    }
    if (value.GroupKey && !(value.GroupKey.startsWith("eng_grp_") && ENGAGE_KEY.test(value.GroupKey))) {
      ctx.addIssue({ code: "custom", path: ["GroupKey"], message: "Must be a complete group key (eng_grp_…)" });
    }
    value.LocationKeys.forEach((k, i) => {
      if (k.Key && !(k.Key.startsWith("eng_loc_") && ENGAGE_KEY.test(k.Key))) {
        ctx.addIssue({ code: "custom", path: ["LocationKeys", i, "Key"], message: "Must be a complete location key (eng_loc_…)" });
      }
    });
  });
export type ConnectionValues = z.infer<typeof connectionSchema>;

export const changePasswordSchema = z
  .object({
    currentPassword: z.string().min(1, "Required"),
    newPassword,
    confirmPassword: z.string(),
    revokeOtherSessions: z.boolean(),
  })
  .refine((v) => v.newPassword === v.confirmPassword, { path: ["confirmPassword"], message: "Does not match the new password" });
export type ChangePasswordValues = z.infer<typeof changePasswordSchema>;
