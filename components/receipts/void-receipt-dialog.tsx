// "Void receipt": a return, or a sale entered by mistake. Says what voiding changes before it
// happens, and what happened after.
"use client";

import { Ban } from "lucide-react";
import { useState } from "react";
import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
  AlertDialogTrigger,
} from "@/components/ui/alert-dialog";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toaster";
import { formatMoney } from "@/lib/console/client/format";
import { useVoidReceipt, type Receipt } from "@/lib/console/client/receipts";

export function VoidReceiptDialog({ receipt, customer }: { receipt: Receipt; customer: string }) {
  const [open, setOpen] = useState(false);
  const voidReceipt = useVoidReceipt(receipt.ReceiptID, {
    onSuccess: () => {
      setOpen(false);
      toast.success(`Receipt voided. ${customer}'s visits and lifetime spend no longer count it.`);
    },
    onError: (error) => toast.error(error.message),
  });
  const redeemed = receipt.Redemptions.filter((r) => r.Status === "Redeemed").map((r) => r.Code);

  return (
    <AlertDialog open={open} onOpenChange={(next) => !voidReceipt.isPending && setOpen(next)}>
      <AlertDialogTrigger asChild>
        <Button variant="destructive">
          <Ban aria-hidden /> Void receipt
        </Button>
      </AlertDialogTrigger>
      <AlertDialogContent>
        <AlertDialogHeader>
          <AlertDialogTitle>Void this receipt?</AlertDialogTitle>
          <AlertDialogDescription asChild>
            <div className="grid gap-2">
              <p>Void a sale that was returned or entered by mistake. The receipt stays, marked Voided, and:</p>
              <ul className="grid list-disc gap-1 pl-5">
                <li>
                  {customer}&apos;s visits and lifetime spend no longer count it ({formatMoney(receipt.Total)}).
                </li>
                <li>
                  {redeemed.length
                    ? `The ${redeemed.length === 1 ? "offer" : "offers"} it redeemed (${redeemed.join(", ")}) can be used again, unless ${redeemed.length === 1 ? "it has" : "they have"} expired.`
                    : "Offers it redeemed would become usable again, unless expired; this receipt redeemed none."}
                </li>
                <li className="font-medium text-foreground">It cannot be undone.</li>
              </ul>
            </div>
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={voidReceipt.isPending}>Keep the receipt</AlertDialogCancel>
          <AlertDialogAction
            variant="destructive"
            disabled={voidReceipt.isPending}
            onClick={(event) => {
              // Stay open until the server has answered.
              event.preventDefault();
              voidReceipt.mutate();
            }}
          >
            {voidReceipt.isPending ? "Voiding…" : "Void receipt"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
