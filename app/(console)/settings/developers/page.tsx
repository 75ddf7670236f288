// Settings → Developers (Owner only): keys, the POS quick start, a test receipt.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { DevelopersSettings } from "@/components/settings/developers/developers-settings";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Developers" };

export default async function DevelopersPage() {
  const user = await requireUser("/settings/developers");
  if (!can(user.role, "settings")) notFound();
  return (
    <>
      <PageHeader
        title="Developers"
        description={`Connect a point-of-sale system to ${user.groupName}: its keys, the API reference, the guide's calls ready to copy, and a test receipt.`}
      />
      <DevelopersSettings />
    </>
  );
}
