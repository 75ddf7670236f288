// "Erase customer"'s confirmation (data-rights-actions.tsx): the Owner types ERASE, and is told
// what stays (receipts' amounts, for the books). Loaded when its button is first used.
"use client";

import { useRouter } from "next/navigation";
import { useId, useState } from "react";
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
import { FieldError } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import type { OnDemandProps } from "@/components/ui/on-demand";
import { toast } from "@/components/ui/toaster";
import { useEraseCustomer } from "@/lib/console/client/data-rights";

const CONFIRMATION = "ERASE";

export function EraseCustomerAlert({ trigger, triggerRef, customerId, name }: OnDemandProps & { customerId: number; name: string }) {
  const router = useRouter();
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const erase = useEraseCustomer(customerId, {
    onSuccess: (erased) => {
      setOpen(false);
      toast.success(`Customer #${customerId} is erased. ${erased.ReceiptsKept} ${erased.ReceiptsKept === 1 ? "receipt stays" : "receipts stay"} for the books, without their name.`);
      router.push("/customers");
    },
  });
  const confirmed = typed.trim() === CONFIRMATION;

  return (
    <AlertDialog
      open={open}
      onOpenChange={(next) => {
        if (erase.isPending) return;
        setOpen(next);
        if (!next) {
          setTyped("");
          erase.reset();
        }
      }}
    >
      <AlertDialogTrigger asChild ref={triggerRef}>
        {trigger}
      </AlertDialogTrigger>
      <AlertDialogContent>
        <form
          className="grid gap-4"
          onSubmit={(event) => {
            event.preventDefault();
            if (confirmed && !erase.isPending) erase.mutate();
          }}
        >
          <AlertDialogHeader>
            <AlertDialogTitle>Erase {name}?</AlertDialogTitle>
            <AlertDialogDescription asChild>
              <div className="grid gap-2">
                <p>At the customer&apos;s request, their personal data is removed from every record:</p>
                <ul className="grid list-disc gap-1 pl-5">
                  <li>Their name, phone, email, address, birthday and POS id, and where their messages were sent.</li>
                  <li>Their receipts and amounts stay, for the books, under customer #{customerId}; that number is never given to anyone again.</li>
                  <li className="font-medium text-foreground">It cannot be undone. Export their data first if they asked for a copy.</li>
                </ul>
              </div>
            </AlertDialogDescription>
          </AlertDialogHeader>
          <div className="grid gap-2">
            <Label htmlFor={inputId}>Type {CONFIRMATION} to confirm</Label>
            <Input
              id={inputId}
              value={typed}
              autoComplete="off"
              spellCheck={false}
              aria-invalid={erase.isError ? true : undefined}
              aria-describedby={erase.isError ? `${inputId}-error` : undefined}
              onChange={(event) => setTyped(event.target.value)}
            />
            <FieldError id={`${inputId}-error`}>{erase.isError ? erase.error.message : null}</FieldError>
          </div>
          <AlertDialogFooter>
            <AlertDialogCancel type="button" disabled={erase.isPending}>
              Keep the customer
            </AlertDialogCancel>
            <AlertDialogAction
              type="submit"
              variant="destructive"
              disabled={!confirmed || erase.isPending}
              onClick={(event) => {
                // The form's submit erases; the dialog stays open until the server has answered.
                event.preventDefault();
                if (confirmed && !erase.isPending) erase.mutate();
              }}
            >
              {erase.isPending ? "Erasing…" : "Erase customer"}
            </AlertDialogAction>
          </AlertDialogFooter>
        </form>
      </AlertDialogContent>
    </AlertDialog>
  );
}
