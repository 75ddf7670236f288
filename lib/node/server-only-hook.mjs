// Lets plain Node (the custom server, the CLI, the standalone API) load modules marked
// `import "server-only"`: outside Next's bundler that marker would otherwise throw.
import { register } from "node:module";

register(
  "data:text/javascript," +
    encodeURIComponent(`
      export async function resolve(specifier, context, next) {
        if (specifier === "server-only") {
          return next(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
        }
        return next(specifier, context);
      }
    `),
  import.meta.url,
);
