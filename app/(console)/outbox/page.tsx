// Outbox: every message an offer queued (SMS, email, the merchant's app), its delivery status,
// attempts and last error, filtered by status, channel and campaign. Owners and Managers only.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { OutboxBrowser } from "@/components/outbox/outbox-browser";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { requireUser } from "../current-user";
import { pathWithQuery } from "../page-path";

export const metadata: Metadata = { title: "Outbox" };

export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const user = await requireUser(pathWithQuery("/outbox", await searchParams));
  if (!can(user.role, "outbox")) notFound();
  // An Owner sees the whole group's messages; a Manager those of offers for where they work now.
  const owner = user.role === "owner";
  const here = user.locations.find((l) => l.LocationID === user.currentLocationId)?.Name;
  return (
    <>
      <PageHeader
        title="Outbox"
        description="The messages that tell customers about their offers: where each went, whether it was delivered, and why not."
      />
      <OutboxBrowser
        actAt={owner ? "group" : null}
        scopeLabel={
          owner
            ? "Every location's messages, and those of group campaigns."
            : `Messages of offers for ${here ?? "your location"}. Group campaigns' messages are in the Owner's outbox.`
        }
      />
    </>
  );
}
