// A customer's profile: details, statistics, consent and its history, receipts and offers.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { CustomerProfile } from "@/components/customers/customer-profile";
import { customerName } from "@/lib/console/client/customer-format";
import { can } from "@/lib/console/roles";
import { currentUser, requireUser } from "../../current-user";
import { loadCustomer } from "../load-customer";

type Props = { params: Promise<{ CustomerID: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { CustomerID } = await params;
  const user = await currentUser();
  const loaded = user && can(user.role, "customers") ? await loadCustomer(user, CustomerID) : null;
  return { title: loaded?.found ? customerName(loaded.customer) : "Customer" };
}

export default async function CustomerPage({ params }: Props) {
  const { CustomerID } = await params;
  const user = await requireUser(`/customers/${encodeURIComponent(CustomerID)}`);
  if (!can(user.role, "customers")) notFound();
  const loaded = await loadCustomer(user, CustomerID);
  if (loaded.found === false) notFound();
  const actingAt = user.locations.find((l) => l.LocationID === user.currentLocationId)?.Name ?? null;
  return (
    <CustomerProfile
      customerId={Number(CustomerID)}
      initial={loaded.found ? { customer: loaded.customer, fetchedAt: loaded.fetchedAt } : undefined}
      locations={user.locations}
      actingAt={actingAt}
      dataRights={can(user.role, "customers:data-rights")}
    />
  );
}
