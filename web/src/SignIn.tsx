import { graphql } from "@paliapi/client";
import { useState, type FormEvent } from "react";

import { defaultApiUrl, makeSession, saveSession, type Session } from "./session";

export function SignIn({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const [apiUrl, setApiUrl] = useState(defaultApiUrl);
  const [token, setToken] = useState("");
  const [remember, setRemember] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const session = makeSession(apiUrl.trim(), token.trim());
    try {
      await session.client.request(graphql.MeDocument, {});
      saveSession(session, remember);
      onSignedIn(session);
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : String(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      <h1>PaliAPI</h1>
      <form onSubmit={submit} aria-labelledby="sign-in-title">
        <h2 id="sign-in-title">Sign in</h2>
        <label htmlFor="api-url">API URL</label>
        <input id="api-url" type="url" required value={apiUrl} onChange={(e) => setApiUrl(e.target.value)} />
        <label htmlFor="token">API token</label>
        <input
          id="token"
          type="password"
          required
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <p className="hint">From <code>paliapi users create NAME</code>.</p>
        <label className="inline">
          <input type="checkbox" checked={remember} onChange={(e) => setRemember(e.target.checked)} /> Remember
          on this device
        </label>
        <button type="submit" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
        {error && (
          <p role="alert" className="error">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
