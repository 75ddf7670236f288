// A page of receipts as a table: when, who, where, how many items, the total and whether it
// was voided. On a phone the location and items fold into the first cell.
"use client";

import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { customerName } from "@/lib/console/client/customer-format";
import { useCustomersById } from "@/lib/console/client/customer-names";
import { formatDateTime, formatMoney, formatQuantity } from "@/lib/console/client/format";
import type { Receipt } from "@/lib/console/client/receipts";

export function itemCount(receipt: Pick<Receipt, "Skus">): number {
  return receipt.Skus.reduce((sum, line) => sum + line.Quantity, 0);
}

function itemsInWords(receipt: Receipt): string {
  const count = itemCount(receipt);
  return `${formatQuantity(count)} ${count === 1 ? "item" : "items"}`;
}

export function ReceiptsTable({ receipts, groupLocations }: { receipts: Receipt[]; groupLocations: { LocationID: number; Name: string }[] }) {
  const customers = useCustomersById(receipts.map((r) => r.CustomerID));
  const locationName = (id: number) => groupLocations.find((l) => l.LocationID === id)?.Name ?? `Location ${id}`;

  return (
    <Table label="Receipts">
      <TableHeader>
        <TableRow>
          <TableHead>Date and time</TableHead>
          <TableHead>Customer</TableHead>
          <TableHead className="hidden md:table-cell">Location</TableHead>
          <TableHead className="hidden text-right md:table-cell">Items</TableHead>
          <TableHead className="text-right">Total</TableHead>
          <TableHead>Status</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {receipts.map((receipt) => {
          const customer = customers.get(receipt.CustomerID);
          return (
            <TableRow key={receipt.ReceiptID} className={receipt.Voided ? "text-muted-foreground" : undefined}>
              <TableCell>
                <div className="grid min-w-32 gap-0.5">
                  <Link
                    href={`/receipts/${receipt.ReceiptID}`}
                    className="font-medium whitespace-nowrap text-primary underline-offset-4 hover:underline focus-visible:underline"
                  >
                    {formatDateTime(receipt.CreatedAt)}
                  </Link>
                  <span className="text-sm text-muted-foreground md:hidden">
                    {locationName(receipt.LocationID)} · {itemsInWords(receipt)}
                  </span>
                </div>
              </TableCell>
              <TableCell>
                <Link href={`/customers/${receipt.CustomerID}`} className="underline-offset-4 hover:underline focus-visible:underline">
                  {customer ? customerName(customer) : `Customer #${receipt.CustomerID}`}
                </Link>
              </TableCell>
              <TableCell className="hidden md:table-cell">{locationName(receipt.LocationID)}</TableCell>
              <TableCell className="hidden text-right tabular-nums md:table-cell">{formatQuantity(itemCount(receipt))}</TableCell>
              <TableCell className={`text-right font-medium tabular-nums ${receipt.Voided ? "line-through" : ""}`}>{formatMoney(receipt.Total)}</TableCell>
              <TableCell>{receipt.Voided ? <Badge variant="destructive">Voided</Badge> : <span className="text-muted-foreground">Sale</span>}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}
