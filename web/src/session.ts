import { PaliAPI } from "@paliapi/client";

/** Where the signed-in token lives: this tab only (sessionStorage), or remembered (localStorage). */
export const TOKEN_KEY = "paliapi.token";
export const API_KEY = "paliapi.apiUrl";

export interface Session {
  apiUrl: string;
  token: string;
  client: PaliAPI;
}

/** The API's base URL: the page's own origin unless the user named another. */
export function defaultApiUrl(): string {
  return localStorage.getItem(API_KEY) ?? window.location.origin;
}

export function storedSession(): Session | null {
  const token = sessionStorage.getItem(TOKEN_KEY) ?? localStorage.getItem(TOKEN_KEY);
  if (!token) return null;
  return makeSession(defaultApiUrl(), token);
}

export function makeSession(apiUrl: string, token: string): Session {
  const base = apiUrl.replace(/\/+$/, "").replace(/\/graphql$/, "");
  return { apiUrl: base, token, client: new PaliAPI({ url: base, token }) };
}

export function saveSession(session: Session, remember: boolean): void {
  (remember ? localStorage : sessionStorage).setItem(TOKEN_KEY, session.token);
  if (session.apiUrl === window.location.origin) localStorage.removeItem(API_KEY);
  else localStorage.setItem(API_KEY, session.apiUrl);
}

export function clearSession(): void {
  sessionStorage.removeItem(TOKEN_KEY);
  localStorage.removeItem(TOKEN_KEY);
}

/** GraphiQL on the API's origin, with the token in the fragment (never sent to a server). */
export function graphiqlUrl(session: Session): string {
  return `${session.apiUrl}/graphql#token=${encodeURIComponent(session.token)}`;
}

/** A link the API handed out, absolute: relative ones are under the API, not this page. */
export function apiLink(session: Session, link: string): string {
  return new URL(link, `${session.apiUrl}/`).toString();
}
