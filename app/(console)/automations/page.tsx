// Automations: automated campaigns.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionPlaceholder } from "@/components/section-placeholder";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Automations" };

export default async function AutomationsPage() {
  const user = await requireUser("/automations");
  if (!can(user.role, "automations")) notFound();
  return <SectionPlaceholder title="Automations" coming="send offers on their own, such as on a birthday or after a quiet spell." />;
}
