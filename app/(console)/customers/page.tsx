// Customers: the loyalty customers of the user's location (or the group).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionPlaceholder } from "@/components/section-placeholder";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Customers" };

export default async function CustomersPage() {
  const user = await requireUser("/customers");
  if (!can(user.role, "customers")) notFound();
  return <SectionPlaceholder title="Customers" coming="find, register and edit your loyalty customers, and see their receipts and offers." />;
}
