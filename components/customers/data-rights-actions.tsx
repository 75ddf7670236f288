// A customer's data rights on their profile (Owners only): "Export data" downloads everything
// held about them as JSON; "Erase customer" removes their personal data for good, after the
// Owner types ERASE, and says what stays (receipts' amounts, for the books; erase-customer-alert.tsx).
"use client";

import { Download, UserX } from "lucide-react";
import { Button } from "@/components/ui/button";
import { OnDemand } from "@/components/ui/on-demand";
import { toast } from "@/components/ui/toaster";
import { useExportCustomer } from "@/lib/console/client/data-rights";

// The confirmation (erase-customer-alert.tsx) loads when the button is first used.
const loadEraseAlert = () => import("./erase-customer-alert").then((m) => m.EraseCustomerAlert);

export function ExportCustomerButton({ customerId, name }: { customerId: number; name: string }) {
  const exporter = useExportCustomer(customerId, {
    onSuccess: (filename) => toast.success(`${name}'s data is downloaded as ${filename}.`),
    onError: (error) => toast.error(`${name}'s data was not exported: ${error.message}`),
  });
  return (
    <Button variant="outline" onClick={() => exporter.mutate()} disabled={exporter.isPending}>
      <Download aria-hidden /> {exporter.isPending ? "Exporting…" : "Export data"}
    </Button>
  );
}

export function EraseCustomerDialog({ customerId, name }: { customerId: number; name: string }) {
  return (
    <OnDemand
      popup="dialog"
      load={loadEraseAlert}
      props={{ customerId, name }}
      trigger={
        <Button variant="destructive">
          <UserX aria-hidden /> Erase customer
        </Button>
      }
    />
  );
}
