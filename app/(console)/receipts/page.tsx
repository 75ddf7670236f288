// Receipts: the sales the POS systems have submitted.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionPlaceholder } from "@/components/section-placeholder";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Receipts" };

export default async function ReceiptsPage() {
  const user = await requireUser("/receipts");
  if (!can(user.role, "receipts")) notFound();
  return <SectionPlaceholder title="Receipts" coming="search the sales your POS systems have sent, and void a return." />;
}
