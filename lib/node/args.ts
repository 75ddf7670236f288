// Where a server listens: -H/--hostname and -p/--port as `next start` takes them, else the
// HOSTNAME and PORT environment variables, else 0.0.0.0:3000.
export function listenAddress(argv: string[]): { hostname: string; port: number; dev: boolean } {
  let hostname = process.env.HOSTNAME || "0.0.0.0";
  let port = Number(process.env.PORT || 3000);
  let dev = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "-H" || arg === "--hostname") hostname = argv[++i] ?? hostname;
    else if (arg.startsWith("--hostname=")) hostname = arg.slice("--hostname=".length);
    else if (arg === "-p" || arg === "--port") port = Number(argv[++i]);
    else if (arg.startsWith("--port=")) port = Number(arg.slice("--port=".length));
    else if (arg === "--dev") dev = true;
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`Invalid port: ${port}`);
    process.exit(2);
  }
  return { hostname, port, dev };
}
