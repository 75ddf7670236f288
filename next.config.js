// Next.js configuration for the console. The Engage API (/v1) is served by server.ts ahead
// of Next, so these headers apply to the console's pages and route handlers only.

/** @type {import("next").NextConfig} */
const nextConfig = {
  // Native and dialect-heavy database packages stay plain Node requires, not bundled.
  serverExternalPackages: ["better-sqlite3", "pg", "kysely"],
  poweredByHeader: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          { key: "X-Frame-Options", value: "DENY" },
        ],
      },
    ];
  },
};

export default nextConfig;
