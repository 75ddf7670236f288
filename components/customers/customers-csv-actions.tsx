// The Customers page's file actions: export what the list shows now (its search and sort, every
// page) as CSV, and import customers from a CSV file. Shown only to roles that may.
"use client";

import { Download, Upload } from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { Button } from "@/components/ui/button";
import { customersExportHref } from "@/lib/console/client/customer-import";
import { customerListStateFrom } from "@/lib/console/client/customer-list-state";

export function CustomersCsvActions({ canExport, canImport }: { canExport: boolean; canImport: boolean }) {
  const view = customerListStateFrom(useSearchParams());
  return (
    <>
      {canImport ? (
        <Button asChild variant="outline">
          <Link href="/customers/import">
            <Upload aria-hidden /> Import CSV
          </Link>
        </Button>
      ) : null}
      {canExport ? (
        <Button asChild variant="outline">
          {/* A plain download: the file streams from the server however large it is. */}
          <a href={customersExportHref(view)} download title={view.q ? `Every customer matching “${view.q}”` : "Every customer"}>
            <Download aria-hidden /> Export CSV
          </a>
        </Button>
      ) : null}
    </>
  );
}
