// The customer's wire format (ENGAGE_API.md §3).
import { z } from "zod";
import { birthday, email, flag, id, optionalText, phone, state, zipcode } from "./fields";

export const customerFields = {
  CustomerID: id().nullable().optional(),
  ExternalID: optionalText(64),
  Phone: phone(),
  Email: email(),
  FirstName: optionalText(100),
  LastName: optionalText(100),
  Address: optionalText(200),
  City: optionalText(100),
  State: state(),
  Zipcode: zipcode(),
  Birthday: birthday(),
  AcceptsSMS: flag(),
  AcceptsEmail: flag(),
};

/** A customer as sent to PUT: every property optional, null clears it. */
export const customerUpdateSchema = z.object(customerFields);

export const IDENTIFIER_MESSAGE = "at least one of Phone, Email or ExternalID is required";

/** A customer as sent to register: as an update, and at least one identifier. */
export const customerRegisterSchema = customerUpdateSchema.superRefine((c, ctx) => {
  if (!c.Phone && !c.Email && !c.ExternalID) {
    ctx.addIssue({ code: "custom", path: ["Phone"], message: IDENTIFIER_MESSAGE });
  }
});

export type CustomerInput = z.output<typeof customerUpdateSchema>;

export interface Customer {
  CustomerID: number;
  ExternalID: string | null;
  Phone: string | null;
  Email: string | null;
  FirstName: string | null;
  LastName: string | null;
  Address: string | null;
  City: string | null;
  State: string | null;
  Zipcode: string | null;
  Birthday: string | null;
  AcceptsSMS: boolean;
  AcceptsEmail: boolean;
  RegisteredLocationID: number | null;
  CreatedAt: string;
  UpdatedAt: string;
  VisitCount: number;
  LifetimeSpend: number;
  FirstVisitAt: string | null;
  LastVisitAt: string | null;
}
