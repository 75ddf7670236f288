// Campaigns: manual campaigns and their sends.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SectionPlaceholder } from "@/components/section-placeholder";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";

export const metadata: Metadata = { title: "Campaigns" };

export default async function CampaignsPage() {
  const user = await requireUser("/campaigns");
  if (!can(user.role, "campaigns")) notFound();
  return <SectionPlaceholder title="Campaigns" coming="create location and group campaigns and send their offers to customers." />;
}
