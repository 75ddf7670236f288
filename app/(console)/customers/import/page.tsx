// Importing customers from a CSV file: check it row by row first, then register the valid, new
// rows at the user's location. Owners and Managers only.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ChevronLeft } from "lucide-react";
import { CustomerImport } from "@/components/customers/customer-import";
import { PageHeader } from "@/components/page-header";
import { can } from "@/lib/console/roles";
import { requireUser } from "../../current-user";

export const metadata: Metadata = { title: "Import customers" };

export default async function ImportCustomersPage() {
  const user = await requireUser("/customers/import");
  if (!can(user.role, "customers:import")) notFound();
  const location = user.locations.find((l) => l.LocationID === user.currentLocationId);
  return (
    <>
      <nav aria-label="Breadcrumb" className="mb-2 text-sm">
        <Link href="/customers" className="inline-flex items-center gap-1 text-muted-foreground hover:text-foreground hover:underline">
          <ChevronLeft aria-hidden className="size-4" /> Customers
        </Link>
      </nav>
      <PageHeader
        title="Import customers"
        description={
          <>
            Register customers from a CSV file{location ? `, at ${location.Name}` : " for the group"}. Each row is checked first; only valid, new
            customers are registered, and no existing customer is changed.
          </>
        }
      />
      <CustomerImport />
    </>
  );
}
