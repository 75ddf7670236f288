// A chart of the Home page from the Recharts chunk (charts.tsx), loaded and drawn once its place
// is near the screen: the figures come first, and a chart below the fold costs nothing until it
// is scrolled to. Until then a skeleton of the chart's height holds its place (nothing moves when
// it arrives). The chart is for the eye only: its figure's table gives screen readers the same
// numbers all along (chart-figure.tsx).
"use client";

import { lazy, startTransition, Suspense, useCallback, useEffect, useRef, useState, type ComponentType } from "react";
import { ChartSkeleton } from "./chart-figure";

// Charts are drawn one after another, each in a task of its own once the one before it is on
// the screen: drawn together, React's one commit of all of them was a single long task (Total
// Blocking Time 230 ms on Home at Lighthouse's desktop size, bench/console.ts).
let drawing: Promise<void> = Promise.resolve();

/** Calls back once mounted (after the commit that drew the chart beside it). */
function Drawn({ onDrawn }: { onDrawn: () => void }) {
  useEffect(onDrawn, [onDrawn]);
  return null;
}

export function lazyChart<P extends object>(load: () => Promise<ComponentType<P>>, height: (props: P) => number) {
  let loading: Promise<ComponentType<P>> | null = null;
  const loadOnce = () => (loading ??= load());
  const Chart = lazy(() => loadOnce().then((component) => ({ default: component })));
  function LazyChart(props: P) {
    const place = useRef<HTMLDivElement>(null);
    const [near, setNear] = useState(false);
    const drawn = useRef<() => void>(() => {});
    const onDrawn = useCallback(() => drawn.current(), []);
    useEffect(() => {
      const element = place.current;
      if (near || !element) return;
      let timer = 0;
      const observer = new IntersectionObserver(
        (entries) => {
          if (!entries.some((entry) => entry.isIntersecting)) return;
          observer.disconnect();
          // Recharts is loaded (and its modules run) first, in a task of their own; the chart is
          // drawn in a later one, in a transition, so neither holds the page up long.
          const draw = () => {
            drawing = drawing.then(
              () =>
                new Promise<void>((resolve) => {
                  drawn.current = resolve;
                  timer = window.setTimeout(() => startTransition(() => setNear(true)), 0);
                  // A chart that never draws (left the page) holds up no other.
                  window.setTimeout(resolve, 1_000);
                }),
            );
          };
          loadOnce().then(draw, () => {
            // Not loaded (offline?): the chart asks again, and says so as any page part would.
            loading = null;
            draw();
          });
        },
        { rootMargin: "100px" },
      );
      observer.observe(element);
      return () => {
        observer.disconnect();
        window.clearTimeout(timer);
      };
    }, [near]);
    const skeleton = <ChartSkeleton height={height(props)} />;
    if (!near) return <div ref={place}>{skeleton}</div>;
    return (
      <Suspense fallback={skeleton}>
        <Chart {...props} />
        <Drawn onDrawn={onDrawn} />
      </Suspense>
    );
  }
  return LazyChart;
}
