// better-auth's browser client for the console's sign-in, sign-out and own-password change.
import { createAuthClient } from "better-auth/react";

export const authClient = createAuthClient({ basePath: "/api/auth" });

/** A better-auth error as the sign-in and password forms show it. */
export function authErrorMessage(error: { status?: number; code?: string; message?: string } | null | undefined): string {
  if (!error) return "Something went wrong. Try again.";
  if (error.status === 429) return "Too many attempts, wait a minute and try again.";
  switch (error.code) {
    // A deactivated account gets this answer too: it must not tell that the password was right.
    case "INVALID_EMAIL_OR_PASSWORD":
      return "Wrong email or password.";
    case "INVALID_PASSWORD":
      return "That is not your current password.";
    case "PASSWORD_TOO_SHORT":
      return "The new password must be at least 10 characters.";
    case "PASSWORD_TOO_LONG":
      return "The new password must be at most 128 characters.";
    default:
      return error.message || "Something went wrong. Try again.";
  }
}
