import { useState } from "react";

import { Collections } from "./Collections";
import { PageView } from "./PageView";
import { SearchPanel, type Opened } from "./SearchPanel";
import { clearSession, graphiqlUrl, storedSession, type Session } from "./session";
import { SignIn } from "./SignIn";

export function App() {
  const [session, setSession] = useState<Session | null>(storedSession);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [version, setVersion] = useState(0); // bumped when documents change

  if (!session) return <SignIn onSignedIn={setSession} />;
  return (
    <>
      <header className="bar">
        <h1>PaliAPI</h1>
        <nav aria-label="Account">
          <a href={graphiqlUrl(session)} target="_blank" rel="noreferrer">
            GraphiQL
          </a>
          <button
            type="button"
            onClick={() => {
              clearSession();
              setSession(null);
            }}
          >
            Sign out
          </button>
        </nav>
      </header>
      <main>
        <Collections session={session} version={version} onChanged={() => setVersion((v) => v + 1)} />
        <SearchPanel session={session} version={version} onOpen={setOpened} />
        {opened && <PageView session={session} opened={opened} onClose={() => setOpened(null)} />}
      </main>
    </>
  );
}
