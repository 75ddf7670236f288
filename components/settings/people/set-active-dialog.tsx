// Deactivate (their sessions end at once, they cannot sign in) or reactivate someone, after
// a confirmation.
"use client";

import {
  AlertDialog,
  AlertDialogAction,
  AlertDialogCancel,
  AlertDialogContent,
  AlertDialogDescription,
  AlertDialogFooter,
  AlertDialogHeader,
  AlertDialogTitle,
} from "@/components/ui/alert-dialog";
import { toast } from "@/components/ui/toaster";
import { useSetPersonActive } from "@/lib/console/client/people";
import type { Person } from "@/lib/console/client/schemas";

export function SetActiveDialog({
  person,
  onClose,
  onCloseAutoFocus,
}: {
  person: Person;
  onClose: () => void;
  onCloseAutoFocus?: (event: Event) => void;
}) {
  const activate = !person.Active;
  const setActive = useSetPersonActive(person.UserID, {
    onSuccess: (updated) => {
      toast.success(
        updated.Active ? `${updated.Name} is active again and can sign in.` : `${updated.Name} is deactivated and was signed out everywhere.`,
      );
      onClose();
    },
    onError: (error) => toast.error(error.message),
  });

  return (
    <AlertDialog open onOpenChange={(open) => !open && !setActive.isPending && onClose()}>
      <AlertDialogContent onCloseAutoFocus={onCloseAutoFocus}>
        <AlertDialogHeader>
          <AlertDialogTitle>{activate ? `Reactivate ${person.Name}?` : `Deactivate ${person.Name}?`}</AlertDialogTitle>
          <AlertDialogDescription>
            {activate
              ? `${person.Email} can sign in again with their password.`
              : `${person.Email} is signed out at once and cannot sign in until reactivated. Their history stays.`}
          </AlertDialogDescription>
        </AlertDialogHeader>
        <AlertDialogFooter>
          <AlertDialogCancel disabled={setActive.isPending}>Cancel</AlertDialogCancel>
          <AlertDialogAction
            variant={activate ? "default" : "destructive"}
            disabled={setActive.isPending}
            onClick={(event) => {
              // Stay open until the server has answered.
              event.preventDefault();
              setActive.mutate({ Active: activate });
            }}
          >
            {activate ? "Reactivate" : "Deactivate"}
          </AlertDialogAction>
        </AlertDialogFooter>
      </AlertDialogContent>
    </AlertDialog>
  );
}
