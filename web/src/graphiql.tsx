import { explorerPlugin } from "@graphiql/plugin-explorer";
import { GraphiQL, type GraphiQLProps } from "graphiql";
import { createRoot } from "react-dom/client";

import "graphiql/style.css";
import "@graphiql/plugin-explorer/style.css";

import { TOKEN_KEY } from "./session";

// The token: from `#token=` (the web app's GraphiQL link; a fragment never reaches a server),
// else as the web app stored it on this origin. The fragment is cleared once read.
const fromHash = new URLSearchParams(window.location.hash.slice(1)).get("token");
if (fromHash) history.replaceState(null, "", window.location.pathname + window.location.search);
const token = fromHash ?? sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);

const fetcher: GraphiQLProps["fetcher"] = async (params, options) => {
  const response = await fetch(new URL("/graphql", window.location.href), {
    method: "POST",
    headers: { "Content-Type": "application/json", ...(options?.headers ?? {}) },
    body: JSON.stringify(params),
  });
  return response.json();
};

const plugins = [explorerPlugin()];
const headers = token ? JSON.stringify({ Authorization: `Bearer ${token}` }, null, 2) : undefined;

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL
    fetcher={fetcher}
    plugins={plugins}
    defaultQuery={"# Your requests are sent with the Authorization header below.\n{ me { name } }\n"}
    headers={headers}
    defaultEditorToolsVisibility={headers ? "headers" : undefined}
  />,
);
