// Receipts: the sales the POS systems have submitted, newest first, with the filters kept in
// the URL (the list itself loads in the browser, through the console's proxy to Engage).
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { PageHeader } from "@/components/page-header";
import { ReceiptsBrowser } from "@/components/receipts/receipts-browser";
import { can } from "@/lib/console/roles";
import { listLocations } from "@/lib/console/settings";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Receipts" };

export default async function ReceiptsPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pathWithQuery("/receipts", await searchParams));
  if (!can(user.role, "receipts")) notFound();
  // Every location's name, to say where a sale was made; where the user works is user.locations.
  const groupLocations = await listLocations(user.groupId);
  return (
    <>
      <PageHeader title="Receipts" description="The sales your POS systems have sent, newest first. Open one to see its items, discounts and offers." />
      <ReceiptsBrowser
        groupLocations={groupLocations}
        workLocations={user.locations}
        currentLocationId={user.currentLocationId}
        mayActForAll={user.role === "owner"}
      />
    </>
  );
}
