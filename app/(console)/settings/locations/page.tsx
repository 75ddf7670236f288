// Settings → Locations (Owner only).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { LocationsSettings } from "@/components/settings/locations/locations-settings";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Locations" };

export default async function LocationsPage() {
  const user = await requireUser("/settings/locations");
  if (!can(user.role, "settings")) notFound();
  return (
    <>
      <PageHeader title="Locations" description={`The stores of ${user.groupName}. Each has its own customers' visits, receipts and Engage key.`} />
      <LocationsSettings />
    </>
  );
}
