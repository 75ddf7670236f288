// Skeleton: a pulsing placeholder while something loads (hidden from screen readers, which
// hear the surrounding status text instead).
import type { ComponentProps } from "react";
import { cn } from "./utils";

export function Skeleton({ className, ...props }: ComponentProps<"div">) {
  return <div aria-hidden className={cn("animate-pulse rounded-md bg-muted", className)} {...props} />;
}
