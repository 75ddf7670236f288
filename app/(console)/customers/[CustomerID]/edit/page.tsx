// Editing a customer: their details and consent, with Engage's own validation.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { EditCustomer } from "@/components/customers/customer-form";
import { PageHeader } from "@/components/page-header";
import { customerName } from "@/lib/console/client/customer-format";
import { can } from "@/lib/console/roles";
import { currentUser, requireUser } from "../../../current-user";
import { loadCustomer } from "../../load-customer";

type Props = { params: Promise<{ CustomerID: string }> };

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { CustomerID } = await params;
  const user = await currentUser();
  const loaded = user && can(user.role, "customers") ? await loadCustomer(user, CustomerID) : null;
  return { title: loaded?.found ? `Edit ${customerName(loaded.customer)}` : "Edit customer" };
}

export default async function EditCustomerPage({ params }: Props) {
  const { CustomerID } = await params;
  const user = await requireUser(`/customers/${encodeURIComponent(CustomerID)}/edit`);
  if (!can(user.role, "customers")) notFound();
  const loaded = await loadCustomer(user, CustomerID);
  if (loaded.found === false) notFound();
  const name = loaded.found ? customerName(loaded.customer) : `customer #${CustomerID}`;
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href={`/customers/${CustomerID}`} className="inline-flex items-center gap-1 text-muted-foreground hover:text-foreground hover:underline">
          <ChevronLeft aria-hidden className="size-4" /> Back to {name}
        </Link>
      </nav>
      <PageHeader title={`Edit ${name}`} description="Changes apply to every store of the group, and to what your POS sees." />
      <EditCustomer customerId={Number(CustomerID)} initial={loaded.found ? { customer: loaded.customer, fetchedAt: loaded.fetchedAt } : undefined} />
    </>
  );
}
