// Settings → Engage connection (Owner only).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { ConnectionSettings } from "@/components/settings/connection/connection-settings";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Engage connection" };

export default async function ConnectionPage() {
  const user = await requireUser("/settings/connection");
  if (!can(user.role, "settings")) notFound();
  return (
    <>
      <PageHeader title="Engage connection" description="Where the console sends its Engage API calls: the Engage in this server, or a remote one." />
      <ConnectionSettings />
    </>
  );
}
