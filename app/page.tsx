// Landing page until the staff console arrives.
export default function HomePage() {
  return (
    <main className="mx-auto flex min-h-screen max-w-2xl flex-col justify-center gap-4 px-6 py-16">
      <h1 className="text-4xl font-semibold tracking-tight">Engage Console</h1>
      <p className="text-lg text-muted">
        The Engage API for POS systems is served at <code className="font-mono">/v1</code>.
        The console for staff comes next.
      </p>
    </main>
  );
}
